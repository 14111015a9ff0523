using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.Auth.Tests;

public sealed class LoginTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    [Fact]
    public async Task Login_returns_a_bearer_token_in_the_original_shape_that_validates_against_the_served_jwks()
    {
        var username = AuthApi.NewUsername("Login");
        using var registered = await auth.Client.RegisterAsync(username);
        var userId = (await registered.JsonAsync()).GetProperty("userId").GetGuid();

        using var response = await auth.Client.LoginAsync(username.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal(userId, body.GetProperty("userId").GetGuid());
        Assert.Equal(username, body.GetProperty("username").GetString());
        var token = body.GetProperty("token").GetString()!;

        // Validate the way any standard JWT library would: discovery → JWKS → signature and claims.
        var discovery = await auth.Client.GetFromJsonAsync<JsonElement>("/api/auth/.well-known/openid-configuration");
        Assert.Equal(TestTokens.Issuer, discovery.GetProperty("issuer").GetString());
        // jwks_uri is the configured public URL; here it is served by the test's own Auth at the same path.
        var jwksUri = new Uri(discovery.GetProperty("jwks_uri").GetString()!);
        Assert.Equal(TestTokens.Issuer + "/.well-known/jwks.json", jwksUri.ToString());
        var jwksJson = await auth.Client.GetStringAsync(jwksUri.AbsolutePath);
        Assert.DoesNotContain("\"d\"", jwksJson, StringComparison.Ordinal); // no private parameter
        var jwks = new JsonWebKeySet(jwksJson);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = TestTokens.Issuer,
            ValidAudience = "taskmanagement-api",
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        var jwt = new JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(jwks.Keys.Single().Kid, jwt.Kid);
        Assert.Equal(userId.ToString(), jwt.Subject);
        Assert.Equal(username, jwt.GetClaim("name").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(3600, (jwt.ValidTo - jwt.IssuedAt).TotalSeconds);
        Assert.Equal(jwt.IssuedAt, jwt.ValidFrom);

        using var me = await auth.Client.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(username, (await me.JsonAsync()).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_identical_401_bodies()
    {
        var username = AuthApi.NewUsername("Enum");
        using (await auth.Client.RegisterAsync(username))
        {
        }

        using var wrongPassword = await auth.Client.LoginAsync(username, "Wrong-Password-123");
        using var unknownUser = await auth.Client.LoginAsync(AuthApi.NewUsername("nobody"), "Wrong-Password-123");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(WithoutTraceId(await wrongPassword.JsonAsync()), WithoutTraceId(await unknownUser.JsonAsync()));
        Assert.Equal("Invalid username or password.", (await wrongPassword.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Missing_credentials_are_400_naming_both_fields()
    {
        using var response = await auth.Client.PostAsJsonAsync("/api/auth/login", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("username", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task A_raised_work_factor_rehashes_the_password_at_the_next_login()
    {
        var username = AuthApi.NewUsername("Rehash");
        using (var r = await auth.Client.RegisterAsync(username))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        var before = (string)(await auth.Database.ScalarAsync("SELECT password_hash FROM users WHERE username = @u", ("@u", username)))!;
        Assert.StartsWith("$2a$04$", before, StringComparison.Ordinal);

        // The same database and key, restarted with a higher work factor.
        await using var stronger = new AuthService(auth.Database.ConnectionString(), auth.Service.SigningKeyPath, new Dictionary<string, string?> { ["Passwords:WorkFactor"] = "5" }).Start();
        using var client = stronger.CreateHttpClient();
        await client.AssertLoginAsync(HttpStatusCode.OK, username);

        var after = (string)(await auth.Database.ScalarAsync("SELECT password_hash FROM users WHERE username = @u", ("@u", username)))!;
        Assert.StartsWith("$2a$05$", after, StringComparison.Ordinal);
        await client.AssertLoginAsync(HttpStatusCode.OK, username);
    }

    private static string WithoutTraceId(JsonElement body) =>
        JsonSerializer.Serialize(body.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value));
}
