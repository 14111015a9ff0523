namespace TaskManagement.Auth.Tests;

/// <summary>The original system's limits, unchanged: login 5/15 min, register 3/hour, general 100/15 min.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private AuthService _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("auth");
        _service = new AuthService(_db.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            ["RateLimiting:General:PermitLimit"] = "100",
            ["RateLimiting:Register:PermitLimit"] = "3",
            ["RateLimiting:Login:PermitLimit"] = "5",
        }).Start();
        _client = _service.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task The_sixth_login_in_the_window_is_429_but_another_user_from_another_address_is_unaffected()
    {
        var victim = AuthApi.NewUsername("victim");
        var other = AuthApi.NewUsername("other");
        await RegisterFromAsync("10.0.0.1", victim);
        await RegisterFromAsync("10.0.0.2", other);

        for (var i = 1; i <= 5; i++)
        {
            using var attempt = await LoginFromAsync("203.0.113.7", victim, "Wrong-Password-1");
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var sixth = await LoginFromAsync("203.0.113.7", victim, "Wrong-Password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.True(int.Parse(sixth.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Too many requests", (await sixth.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);

        using var otherUser = await LoginFromAsync("198.51.100.9", other, AuthApi.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);

        // The attacker's address cannot lock the victim out elsewhere either.
        using var victimElsewhere = await LoginFromAsync("198.51.100.10", victim, AuthApi.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, victimElsewhere.StatusCode);
    }

    [Fact]
    public async Task Spellings_the_database_would_match_to_a_blocked_name_are_blocked_too()
    {
        var victim = AuthApi.NewUsername("victim");
        await RegisterFromAsync("10.0.0.3", victim);
        for (var i = 1; i <= 5; i++)
        {
            using var attempt = await LoginFromAsync("203.0.113.8", victim, "Wrong-Password-1");
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        // Spellings the column's collation may match to the account: trailing spaces, case, accents, compatibility forms.
        var accented = "v\u00EDctim" + victim["victim".Length..];
        var decomposed = "vi\u0301ctim" + victim["victim".Length..];
        var fullWidth = "\uFF56ictim" + victim["victim".Length..];
        var matched = 0;
        foreach (var variant in new[] { victim + " ", victim + "   ", victim.ToUpperInvariant(), accented, decomposed, fullWidth })
        {
            // Whatever the database would match to this account must land in the blocked bucket.
            var databaseMatches = await _db.CountAsync($"users WHERE normalized_username = {Quote(variant)}") == 1;
            using var response = await LoginFromAsync("203.0.113.8", variant, "Wrong-Password-1");
            if (databaseMatches)
            {
                matched++;
                Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"'{Escape(variant)}' matches the account but got {(int)response.StatusCode}");
            }
        }

        // On the test database (utf8mb4, general or unicode ci) at least trailing spaces, case and "í" match.
        Assert.True(matched >= 4, $"only {matched} variants matched the account");

        // Even the right password under a lookalike spelling does not sign in.
        using var lookalike = await LoginFromAsync("198.51.100.11", accented, AuthApi.StrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, lookalike.StatusCode);
    }

    [Fact]
    public async Task The_fourth_registration_from_one_address_in_an_hour_is_429()
    {
        for (var i = 0; i < 3; i++)
        {
            using var ok = await RegisterFromAsync("192.0.2.44", AuthApi.NewUsername("reg"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var fourth = await RegisterFromAsync("192.0.2.44", AuthApi.NewUsername("reg"));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.NotNull(fourth.Headers.RetryAfter);
        using var elsewhere = await RegisterFromAsync("192.0.2.45", AuthApi.NewUsername("reg"));
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Health_metrics_and_key_discovery_are_never_limited()
    {
        foreach (var path in new[] { "/health", "/health/live", "/metrics", "/api/auth/.well-known/jwks.json" })
        {
            for (var i = 0; i < 110; i++)
            {
                using var response = await _client.GetAsync(path);
                Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_client_reaching_the_port_directly_from_an_untrusted_address_cannot_pick_its_bucket()
    {
        // Only loopback is a trusted proxy here; a service configured to trust nobody ignores X-Forwarded-For.
        await using var strict = new AuthService(_db.ConnectionString(), _service.SigningKeyPath, new Dictionary<string, string?>
        {
            ["RateLimiting:Register:PermitLimit"] = "1",
            ["ForwardedHeaders:TrustLoopback"] = "false",
        }).Start();
        using var client = strict.CreateHttpClient();
        using var first = await SendFromAsync(client, "10.9.9.1", HttpMethod.Post, "/api/auth/register", new { username = AuthApi.NewUsername("x"), password = AuthApi.StrongPassword });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await SendFromAsync(client, "10.9.9.2", HttpMethod.Post, "/api/auth/register", new { username = AuthApi.NewUsername("x"), password = AuthApi.StrongPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    // The variant as an SQL string literal: only test-generated text, so escaping quotes and backslashes is enough.
    private static string Quote(string value) => $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'";

    private static string Escape(string value) => string.Concat(value.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));

    private Task<HttpResponseMessage> RegisterFromAsync(string address, string username) =>
        SendFromAsync(_client, address, HttpMethod.Post, "/api/auth/register", new { username, password = AuthApi.StrongPassword });

    private Task<HttpResponseMessage> LoginFromAsync(string address, string username, string password) =>
        SendFromAsync(_client, address, HttpMethod.Post, "/api/auth/login", new { username, password });

    // The test connects from loopback, a trusted proxy, exactly as the gateway or the Istio sidecar does.
    private static Task<HttpResponseMessage> SendFromAsync(HttpClient client, string address, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", address);
        return client.SendAsync(request);
    }
}
