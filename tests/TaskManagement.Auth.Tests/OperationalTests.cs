using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskManagement.Auth.Tests;

public sealed class OperationalTests(AuthFixture auth) : ServiceOperationalTests(auth.Client), IClassFixture<AuthFixture>
{
    [Fact]
    public async Task Responses_carry_the_security_headers()
    {
        using var response = await auth.Client.GetAsync("/api/auth/me");
        AssertSecurityHeaders(response.Headers);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Oversized_bodies_are_rejected_with_413()
    {
        using var content = new StringContent($"{{\"username\":\"{new string('a', 100_000)}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await auth.Client.PostAsync("/api/auth/register", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_expose_registrations_logins_by_outcome_and_hash_duration()
    {
        var (_, username, _) = await auth.Client.RegisterAndLoginAsync();
        using (await auth.Client.LoginAsync(username, "Wrong-Password-1"))
        {
        }

        await AssertMetricsShowAsync(
            "taskmanagement_auth_registrations_total",
            "taskmanagement_auth_logins_total\\{[^}]*outcome=\"success\"",
            "taskmanagement_auth_logins_total\\{[^}]*outcome=\"invalid_credentials\"",
            "taskmanagement_auth_password_hash_duration_seconds_bucket",
            "http_server_request_duration_seconds");
    }

    [Fact]
    public async Task The_openapi_document_is_served_in_development()
    {
        var document = await auth.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/auth/register\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/auth/login\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_report_the_database()
    {
        using var ready = await auth.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.JsonAsync();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_previous_key_keeps_its_tokens_valid_while_new_tokens_use_the_new_key()
    {
        var (_, username, oldToken) = await auth.Client.RegisterAndLoginAsync();
        var oldKid = new JsonWebToken(oldToken).Kid;

        // Rotate: a new signing key, the old one kept for verification only.
        await using var rotated = new AuthService(auth.Database.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            ["Jwt:PreviousKeyPath"] = auth.Service.SigningKeyPath,
        }).Start();
        using var client = rotated.CreateHttpClient();

        var jwks = await client.GetFromJsonAsync<JsonElement>("/api/auth/.well-known/jwks.json");
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal(2, kids.Count);
        Assert.Contains(oldKid, kids);

        using var login = await client.LoginAsync(username);
        var newToken = (await login.JsonAsync()).GetProperty("token").GetString()!;
        Assert.NotEqual(oldKid, new JsonWebToken(newToken).Kid);
        Assert.Equal(kids[0], new JsonWebToken(newToken).Kid);

        foreach (var token in new[] { oldToken, newToken })
        {
            using var me = await client.SendAsync(HttpMethod.Get, "/api/auth/me", token);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    [Fact]
    public async Task The_interactive_api_reference_is_served_in_development_from_the_service_itself()
    {
        using var response = await auth.Client.GetAsync("/scalar");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        // Its script is the package's own copy: nothing is loaded from another origin.
        Assert.DoesNotMatch("<script[^>]+src=\"https?://", html);
    }

    [Fact]
    public async Task The_openapi_document_declares_bearer_security_on_every_protected_operation()
    {
        HashSet<string> anonymous = ["POST /api/auth/register", "POST /api/auth/login", "GET /api/auth/.well-known/openid-configuration", "GET /api/auth/.well-known/jwks.json"];
        HashSet<string> unlimited = ["GET /api/auth/.well-known/openid-configuration", "GET /api/auth/.well-known/jwks.json"];

        await AssertOpenApiDescribesAccessAsync(anonymous, unlimited);
    }
}
