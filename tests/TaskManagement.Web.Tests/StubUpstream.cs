using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TaskManagement.Web.Tests;

/// <summary>
/// A stand-in for Auth or Tasks on a free loopback port: answers every path with JSON naming itself
/// and echoing what arrived. Paths containing <c>/slow</c> wait 3 s, <c>/flaky</c> answer 503 twice
/// before succeeding, <c>/unavailable</c> always 503, <c>/empty-404</c> an empty 404.
/// <c>/api/tasks/stream</c> is an event stream: see <see cref="ReleaseStream"/>.
/// </summary>
public sealed class StubUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _streamReleases = new(StringComparer.Ordinal);

    private StubUpstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public int AttemptsFor(string path) => _attempts.TryGetValue(path, out var n) ? n : 0;

    /// <summary>
    /// <c>GET /api/tasks/stream?name=n</c> writes the event <c>n-1</c> at once, then nothing until this is called
    /// for <c>n</c>, then the event <c>n-2</c>, and stays open. <c>?status=503</c> answers that status instead.
    /// </summary>
    public void ReleaseStream(string name) => StreamRelease(name).TrySetResult();

    private TaskCompletionSource StreamRelease(string name) =>
        _streamReleases.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static async Task<StubUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubUpstream(name, app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseAddress = new Uri(app.Urls.Single());
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? "/";
        var attempt = _attempts.AddOrUpdate(path, 1, (_, n) => n + 1);
        var seen = new SeenRequest(Name, request.Method, path, request.QueryString.Value ?? string.Empty,
            request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } xff ? xff : null,
            request.Headers["traceparent"].ToString() is { Length: > 0 } tp ? tp : null,
            body)
        {
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
        Requests.Enqueue(seen);

        if (path == "/api/tasks/stream")
        {
            await StreamAsync(context);
            return;
        }

        if (path.Contains("/slow", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted);
        }

        if (path.Contains("/unavailable", StringComparison.Ordinal) || (path.Contains("/flaky", StringComparison.Ordinal) && attempt <= 2))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error = $"{Name} is warming up", attempt }, context.RequestAborted);
            return;
        }

        if (path.Contains("/empty-404", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // Headers a real service sends, which must reach the browser unchanged.
        context.Response.Headers["X-Total-Count"] = "42";
        context.Response.Headers.ETag = "\"3\"";
        context.Response.Headers["Link"] = "</api/tasks?offset=20&limit=20>; rel=\"next\"";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        context.Response.Headers.XFrameOptions = "DENY";
        await context.Response.WriteAsJsonAsync(new { service = Name, seen.Method, seen.Path, seen.Query, seen.XForwardedFor, seen.TraceParent, seen.Body, attempt },
            JsonSerializerOptions.Web, context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (int.TryParse(query["status"], out var status))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = $"{Name} answered {status}" }, context.RequestAborted);
            return;
        }

        var name = query["name"].ToString();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await context.Response.WriteAsync($"id: {name}-1\nevent: test\ndata: {{}}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await StreamRelease(name).Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync($"id: {name}-2\nevent: test\ndata: {{}}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client (or the gateway) closed the stream.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
