using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Tests;

/// <summary>
/// BCrypt work is bounded (issue 12): a login storm is answered 503 + Retry-After at once for what could not finish
/// within Passwords:MaxHashLatency, instead of queueing every request until clients time out.
/// </summary>
public sealed class LoginSheddingTests
{
    [Fact]
    public async Task A_login_storm_sheds_what_cannot_finish_in_time_with_503_and_Retry_After_at_once()
    {
        await using var database = await TestDatabase.CreateAsync("auth");
        await using var service = new AuthService(database.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            ["Passwords:WorkFactor"] = "10", // tens of milliseconds per operation
            ["Passwords:HashingThreads"] = "1",
            ["Passwords:MaxHashLatency"] = "00:00:00.250",
        }).Start();
        using var client = service.CreateHttpClient();
        var username = AuthApi.NewUsername("Storm");
        await client.AssertRegisterAsync(HttpStatusCode.Created, username);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            var started = Stopwatch.GetTimestamp();
            var response = await client.LoginAsync(username);
            return (Response: response, Elapsed: Stopwatch.GetElapsedTime(started));
        }));

        var accepted = attempts.Where(a => a.Response.StatusCode == HttpStatusCode.OK).ToList();
        var shed = attempts.Where(a => a.Response.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(attempts.Length, accepted.Count + shed.Count); // nothing else: no 500, no timeout
        Assert.NotEmpty(accepted);
        Assert.NotEmpty(shed);
        foreach (var (response, _) in shed)
        {
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without a Retry-After of at least 1 s");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("busy", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // Shed at once: the typical refusal comes back before the slowest accepted login finished its BCrypt work.
        var typicalRefusal = shed.Select(a => a.Elapsed).Order().ElementAt(shed.Count / 2);
        Assert.True(typicalRefusal < accepted.Max(a => a.Elapsed), $"refusals took {typicalRefusal}, accepted at most {accepted.Max(a => a.Elapsed)}");

        // The service recovers as soon as the storm is over.
        await client.AssertLoginAsync(HttpStatusCode.OK, username);
        foreach (var (response, _) in attempts)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// A refusal must cost next to nothing, or a storm of them takes the cores BCrypt needs: it is decided before
    /// authentication, rate limiting and the body. Proof: while the hashing thread is busy, a login whose body is
    /// never sent is answered 503 at once, and a malformed body gets 503, not the 400 that binding it would give.
    /// </summary>
    [Fact]
    public async Task While_hashing_is_full_a_login_is_refused_before_its_body_is_read()
    {
        await using var database = await TestDatabase.CreateAsync("auth");
        await using var service = new AuthService(database.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            // One registration keeps the only hashing thread busy for seconds (work factor 15).
            ["Passwords:WorkFactor"] = "15",
            ["Passwords:HashingThreads"] = "1",
            ["Passwords:MaxHashLatency"] = "00:00:00.100",
        }).Start();
        using var client = service.CreateHttpClient();
        var registering = client.RegisterAsync(AuthApi.NewUsername("Busy"));
        var hasher = service.Services.GetRequiredService<PasswordHasher>();
        for (var waited = 0; hasher.WouldAdmit(out _); waited += 20)
        {
            Assert.True(waited < 10_000, "the registration's hash never started");
            await Task.Delay(20);
        }

        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head)); // and no body
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await ReadHeadAsync(stream, timeout.Token);
        Assert.StartsWith("HTTP/1.1 503", response, StringComparison.Ordinal);
        Assert.Matches("(?im)^Retry-After: [1-9][0-9]*\r?$", response);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);

        using var malformed = await client.PostAsync("/api/auth/login", new StringContent("{\"username\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, malformed.StatusCode);
        Assert.Contains("busy", (await malformed.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using var registered = await registering;
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    private static async Task<string> ReadHeadAsync(System.Net.Sockets.NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
