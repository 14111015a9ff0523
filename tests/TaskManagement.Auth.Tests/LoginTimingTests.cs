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
        using var hashing = new InstrumentReader(service.Services, "taskmanagement.auth.password_hash.duration");

        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            unknown.Add(await VerificationOfAsync(client, hashing, AuthApi.NewUsername("Nobody")));
            wrong.Add(await VerificationOfAsync(client, hashing, username));
        }

        var (unknownMedian, wrongMedian) = (unknown.Order().ElementAt(2), wrong.Order().ElementAt(2));
        Assert.InRange(unknownMedian / wrongMedian, 0.5, 2.0);
    }

    /// <summary>Logs in with a wrong password; the one BCrypt verification it ran, in seconds.</summary>
    private static async Task<double> VerificationOfAsync(HttpClient client, InstrumentReader hashing, string username)
    {
        var before = hashing.Values("operation", "verify").Count;
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password = "Wrong-Password-123!" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var verifications = hashing.Values("operation", "verify");
        Assert.Equal(before + 1, verifications.Count);
        return verifications[^1];
    }
}
