using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using TaskManagement.Testing;

namespace TaskManagement.Auth.Tests;

public sealed class OperationalTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    [Fact]
    public async Task Responses_carry_the_security_headers()
    {
        using var response = await auth.Client.GetAsync("/api/auth/me");
        var headers = response.Headers;
        Assert.Contains("default-src 'none'", headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.StartsWith("max-age=", headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
        Assert.False(headers.Contains("Server"));
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

        var metrics = await auth.Client.GetStringAsync("/metrics");
        Assert.Contains("taskmanagement_auth_registrations_total", metrics, StringComparison.Ordinal);
        Assert.Matches("taskmanagement_auth_logins_total\\{[^}]*outcome=\"success\"", metrics);
        Assert.Matches("taskmanagement_auth_logins_total\\{[^}]*outcome=\"invalid_credentials\"", metrics);
        Assert.Contains("taskmanagement_auth_password_hash_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task Metrics_refuse_every_method_but_GET_and_HEAD_with_405(string method)
    {
        using var response = await auth.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/metrics"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.JsonAsync()).GetProperty("error").GetString()));
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/METRICS")]
    [InlineData("/Metrics")]
    [InlineData("/metrics/")]
    [InlineData("/metrics//")]
    public async Task Metrics_answer_only_on_the_exact_path(string path)
    {
        using var response = await auth.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answer_GET_and_HEAD()
    {
        using var get = await auth.Client.GetAsync("/metrics");
        using var head = await auth.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("# TYPE target_info", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
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
            using var me = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/me").WithBearer(token));
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

        await AssertDocumentDescribesAccessAsync(auth.Client, anonymous, unlimited);
    }

    /// <summary>
    /// Parses the document with Microsoft.OpenApi (reading validates it) and checks access is described:
    /// the bearer JWT scheme, a requirement and a 401 on every protected operation, none on anonymous ones.
    /// </summary>
    private static async Task AssertDocumentDescribesAccessAsync(HttpClient client, HashSet<string> anonymous, HashSet<string> unlimited)
    {
        var json = await client.GetStringAsync("/openapi/v1.json");
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(json, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.StartsWith("3.", read.Diagnostic?.SpecificationVersion.ToString().Replace("OpenApi", "", StringComparison.Ordinal).Replace('_', '.'), StringComparison.Ordinal);
        var document = read.Document!;
        var schemes = document.Components?.SecuritySchemes;
        Assert.True(schemes?.ContainsKey("Bearer") == true, "components.securitySchemes has no Bearer scheme");
        var scheme = Assert.IsType<Microsoft.OpenApi.OpenApiSecurityScheme>(schemes!["Bearer"]);
        Assert.Equal(Microsoft.OpenApi.SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        Assert.Equal("JWT", scheme.BearerFormat);
        Assert.Contains("Problem", document.Components!.Schemas!.Keys);

        var seen = new List<string>();
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var name = $"{method.Method.ToUpperInvariant()} {path}";
                seen.Add(name);
                var requirements = operation.Security ?? [];
                var responses = operation.Responses!;
                if (anonymous.Contains(name))
                {
                    Assert.True(requirements.Count == 0, $"{name} is anonymous but declares security");
                    Assert.False(responses.ContainsKey("401"), $"{name} is anonymous but documents 401");
                }
                else
                {
                    var requirement = Assert.Single(requirements);
                    Assert.Equal("Bearer", Assert.Single(requirement.Keys).Reference.Id);
                    Assert.True(responses.ContainsKey("401"), $"{name} needs a token but does not document 401");
                    Assert.Equal("application/problem+json", Assert.Single(responses["401"].Content!.Keys));
                }

                Assert.True(responses.ContainsKey("429") != unlimited.Contains(name), $"{name}: 429 documented = {responses.ContainsKey("429")}");
            }
        }

        Assert.Superset(anonymous, seen.ToHashSet());
    }
}
