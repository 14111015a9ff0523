using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Auth.Tests;

/// <summary>
/// Usernames cannot be told apart by time: a login for an unknown name runs one BCrypt verification at the configured
/// work factor (against a dummy hash), just like a wrong password for a real account.
/// </summary>
public sealed class LoginTimingTests
{
    [Fact]
    public async Task An_unknown_username_costs_the_same_bcrypt_verification_as_a_wrong_password()
    {
        await using var database = await TestDatabase.CreateAsync("auth");
        await using var service = new AuthService(database.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            ["Passwords:WorkFactor"] = "10",
            ["RateLimiting:Login:PermitLimit"] = "100",
        }).Start();
        using var client = service.CreateHttpClient();
        var username = AuthApi.NewUsername("Timed");
        await client.AssertRegisterAsync(HttpStatusCode.Created, username);
        using var verifications = new Verifications(service.Services);

        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            unknown.Add(await VerificationOfAsync(client, verifications, AuthApi.NewUsername("Nobody")));
            wrong.Add(await VerificationOfAsync(client, verifications, username));
        }

        var (unknownMedian, wrongMedian) = (unknown.Order().ElementAt(2), wrong.Order().ElementAt(2));
        Assert.InRange(unknownMedian / wrongMedian, 0.5, 2.0);
    }

    /// <summary>Logs in with a wrong password; the one BCrypt verification it ran, in seconds.</summary>
    private static async Task<double> VerificationOfAsync(HttpClient client, Verifications verifications, string username)
    {
        var before = verifications.Count;
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password = "Wrong-Password-123!" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before + 1, verifications.Count);
        return verifications.Last;
    }

    /// <summary><c>taskmanagement.auth.password_hash.duration</c> of the verify operations of one host (its own meter factory).</summary>
    private sealed class Verifications : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<double> _seconds = new();

        public Verifications(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == AuthMetrics.MeterName
                    && instrument.Name == "taskmanagement.auth.password_hash.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "operation" && tag.Value as string == "verify")
                    {
                        _seconds.Enqueue(value);
                    }
                }
            });
            _listener.Start();
        }

        public int Count => _seconds.Count;

        public double Last => _seconds.Last();

        public void Dispose() => _listener.Dispose();
    }
}
