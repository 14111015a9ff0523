using System.Diagnostics;
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

    [Theory]
    [InlineData(0, 1, 2000, 1000, true)] // one per worker is always admitted, however slow
    [InlineData(1, 2, 2000, 1000, true)]
    [InlineData(2, 2, 300, 1000, true)] // second round: done after 600 ms
    [InlineData(5, 2, 300, 1000, true)] // third round: 900 ms
    [InlineData(6, 2, 300, 1000, false)] // fourth round: 1200 ms
    [InlineData(3, 1, 250, 1000, true)]
    [InlineData(4, 1, 250, 1000, false)]
    public void Work_is_admitted_only_when_it_finishes_within_the_latency_bound(int position, int workers, int averageMs, int maxMs, bool admitted) =>
        Assert.Equal(admitted, PasswordHashingCapacity.FinishesInTime(position, workers, TimeSpan.FromMilliseconds(averageMs), TimeSpan.FromMilliseconds(maxMs)));
}
