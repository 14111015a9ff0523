using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TaskManagement.Web.Gateway;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The live task stream through the local gateway: passed on as it is written, not cut by the 1 s Tasks timeout
/// the fixture sets, never retried, dropped only after <c>Gateway:StreamActivityTimeout</c> of silence.
/// </summary>
public sealed class GatewayStreamTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private const string StreamPath = "/api/tasks/stream";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private CancellationToken Ct => _timeout.Token;

    [Fact]
    public async Task Each_event_arrives_as_it_is_written_and_the_stream_outlives_the_tasks_timeout()
    {
        var name = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{StreamPath}?name={name}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token-1");
        request.Headers.Add("Last-Event-ID", "0190a6a4-0000-7000-8000-000000000001");

        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        // The service has written only the first event: it can arrive only if nothing buffers it.
        Assert.Equal($"id: {name}-1", await ReadEventIdAsync(events));

        // Silence for longer than the fixture's 1 s Tasks timeout; the stream's own limit is 2 min.
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        fixture.Tasks.ReleaseStream(name);

        Assert.Equal($"id: {name}-2", await ReadEventIdAsync(events));
        var seen = fixture.Tasks.Requests.Single(r => r.Path == StreamPath && r.Query == $"?name={name}");
        Assert.Equal("0190a6a4-0000-7000-8000-000000000001", seen.Headers["Last-Event-ID"]);
        Assert.Equal("Bearer token-1", seen.Headers["Authorization"]);
    }

    [Fact]
    public async Task The_stream_is_not_retried_on_503()
    {
        var before = fixture.Tasks.AttemptsFor(StreamPath);

        using var response = await fixture.Client.GetAsync($"{StreamPath}?status=503", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(before + 1, fixture.Tasks.AttemptsFor(StreamPath));
    }

    [Fact]
    public async Task A_silent_stream_is_dropped_after_the_stream_activity_timeout()
    {
        await using var web = new WebHost(new Dictionary<string, string?>
        {
            ["Gateway:AuthUrl"] = fixture.Auth.BaseAddress.ToString(),
            ["Gateway:TasksUrl"] = fixture.Tasks.BaseAddress.ToString(),
            ["Gateway:StreamActivityTimeout"] = "00:00:02",
            // Far above it: only the stream's activity timeout can end the response in this test.
            ["Gateway:TasksTimeout"] = "00:01:00",
        });
        using var client = web.Start();
        var name = Guid.NewGuid().ToString("N");
        using var response = await client.GetAsync($"{StreamPath}?name={name}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal($"id: {name}-1", await ReadEventIdAsync(events));
        var silent = Stopwatch.StartNew();

        // The service never writes again: the gateway ends the response (end of stream, or an aborted one).
        try
        {
            while (await events.ReadLineAsync(Ct) is not null)
            {
            }
        }
        catch (IOException)
        {
        }
        catch (HttpRequestException)
        {
        }

        Assert.InRange(silent.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_stream_activity_timeout_defaults_above_the_heartbeat()
    {
        var defaults = new GatewayOptions();

        Assert.Equal(TimeSpan.FromMinutes(2), defaults.StreamActivityTimeout);
        // LiveUpdates:HeartbeatInterval defaults to 20 s; a few may be late on a busy service.
        Assert.True(defaults.StreamActivityTimeout >= 3 * TimeSpan.FromSeconds(20));
    }

    public void Dispose() => _timeout.Dispose();

    /// <summary>Reads one event (up to its blank line) and returns its <c>id:</c> line.</summary>
    private async Task<string?> ReadEventIdAsync(StreamReader events)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(5));
        string? id = null;
        while (await events.ReadLineAsync(wait.Token) is { } line && line.Length > 0)
        {
            id = line.StartsWith("id:", StringComparison.Ordinal) ? line : id;
        }

        return id;
    }
}
