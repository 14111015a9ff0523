using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskManagement.Web.Gateway;

namespace TaskManagement.Web.Tests;

/// <summary>The local gateway routes exactly as the Istio VirtualService: same paths, timeouts and retries.</summary>
public sealed partial class GatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string AppCsp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // Every test gets half a minute; a hung proxy must fail, not stall the run.
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _timeout = new(TestTimeout);

    private HttpClient Client => fixture.Client;

    private CancellationToken Ct => _timeout.Token;

    [Theory]
    [InlineData("POST", "/api/auth/register", "auth")]
    [InlineData("POST", "/api/auth/login", "auth")]
    [InlineData("GET", "/api/auth/me", "auth")]
    [InlineData("DELETE", "/api/auth/me", "auth")]
    [InlineData("PUT", "/api/auth/me/password", "auth")]
    [InlineData("GET", "/api/auth/verify", "auth")]
    [InlineData("GET", "/api/auth/profile", "auth")]
    [InlineData("GET", "/api/auth/.well-known/openid-configuration", "auth")]
    [InlineData("GET", "/api/auth/.well-known/jwks.json", "auth")]
    [InlineData("GET", "/api/tasks", "tasks")]
    [InlineData("POST", "/api/tasks", "tasks")]
    [InlineData("GET", "/api/tasks/summary", "tasks")]
    [InlineData("GET", "/api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60", "tasks")]
    [InlineData("PUT", "/api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60", "tasks")]
    [InlineData("PATCH", "/api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60", "tasks")]
    [InlineData("DELETE", "/api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60", "tasks")]
    [InlineData("PATCH", "/api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60/status", "tasks")]
    public async Task Each_public_path_reaches_its_service_with_the_path_unchanged(string method, string path, string service)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { title = "x" });
        }

        using var response = await Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(service, echo.GetProperty("service").GetString());
        Assert.Equal(method, echo.GetProperty("method").GetString());
        Assert.Equal(path, echo.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Query_string_body_and_service_headers_pass_through()
    {
        using var response = await Client.PostAsync("/api/tasks?status=pending&status=completed&q=a%20b&sort=-created",
            new StringContent("{\"title\":\"Buy milk\"}", Encoding.UTF8, "application/json"), Ct);

        var echo = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("?status=pending&status=completed&q=a%20b&sort=-created", echo.GetProperty("query").GetString());
        Assert.Equal("{\"title\":\"Buy milk\"}", echo.GetProperty("body").GetString());
        Assert.Equal("42", Assert.Single(response.Headers.GetValues("X-Total-Count")));
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        Assert.Contains("rel=\"next\"", Assert.Single(response.Headers.GetValues("Link")), StringComparison.Ordinal);
        // The service's own security headers, not the app's and not both.
        Assert.Equal("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task X_Forwarded_For_and_traceparent_reach_the_service()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        // Written on a raw socket: HttpClient in this process is traced and would put its own trace in.
        var (status, body) = await RawHttp.GetAsync(fixture.Web.BaseAddress, "/api/tasks/summary", Ct,
            ("X-Forwarded-For", "203.0.113.7"), ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01"));

        Assert.Equal(200, status);
        var echo = JsonDocument.Parse(body).RootElement;
        // The client address a trusted proxy reported is kept, so rate limits see the real client.
        Assert.Equal("203.0.113.7", echo.GetProperty("xForwardedFor").GetString());
        // Same trace: the gateway's span is the parent now, the trace id is unchanged.
        var traceparent = echo.GetProperty("traceParent").GetString();
        Assert.NotNull(traceparent);
        Assert.StartsWith($"00-{traceId}-", traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_client_is_named_in_X_Forwarded_For()
    {
        using var response = await Client.GetAsync("/api/auth/me", Ct);

        var echo = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("127.0.0.1", echo.GetProperty("xForwardedFor").GetString());
    }

    [Theory]
    [InlineData("GET", "/api")]
    [InlineData("GET", "/api/")]
    [InlineData("GET", "/api/unknown")]
    [InlineData("POST", "/api/users/register")]
    [InlineData("GET", "/api/authentication/login")]
    [InlineData("GET", "/api/taskss")]
    [InlineData("DELETE", "/api/v1/tasks/1")]
    [InlineData("GET", "/api/health")]
    public async Task Unknown_api_paths_are_404_ProblemDetails(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain(fixture.Auth.Requests, r => r.Path == path);
        Assert.DoesNotContain(fixture.Tasks.Requests, r => r.Path == path);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/register")]
    [InlineData("/dashboard")]
    [InlineData("/account")]
    [InlineData("/dashboard?status=completed&page=2")]
    [InlineData("/some/deep/client/route")]
    public async Task Client_side_routes_serve_the_app_on_reload(string path)
    {
        using var response = await Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, "index.html must be revalidated so a deploy is picked up");
        Assert.Equal(AppCsp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_has_no_inline_script_or_style_and_loads_only_its_own_files()
    {
        var html = await Client.GetStringAsync("/", Ct);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        var assets = AssetReference().Matches(html).Select(m => m.Groups["path"].Value).ToArray();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));

        foreach (var asset in assets)
        {
            using var response = await Client.GetAsync(asset, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
            Assert.Contains(response.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotMatch(ExternalUrlInCode(), text);
        }
    }

    [Theory]
    [InlineData("/assets/missing-0123abcd.js")]
    [InlineData("/favicon.ico")]
    [InlineData("/robots.txt")]
    public async Task Missing_files_are_404_not_the_app(string path)
    {
        using var response = await Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public Task Idempotent_requests_are_retried_twice_on_503() =>
        AssertAttemptsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/tasks/flaky-get"), HttpStatusCode.OK, fixture.Tasks, attempts: 3);

    [Fact]
    public async Task A_retried_PUT_sends_its_body_every_time()
    {
        using var response = await Client.PutAsync("/api/tasks/flaky-put",
            new StringContent("{\"title\":\"Same body\"}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bodies = fixture.Tasks.Requests.Where(r => r.Path == "/api/tasks/flaky-put").Select(r => r.Body).ToArray();
        Assert.Equal(3, bodies.Length);
        Assert.All(bodies, b => Assert.Equal("{\"title\":\"Same body\"}", b));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Non_idempotent_requests_are_never_retried(string method)
    {
        var path = $"/api/tasks/flaky-{method.ToLowerInvariant()}";
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { title = "once" }) };

        await AssertAttemptsAsync(request, HttpStatusCode.ServiceUnavailable, fixture.Tasks, attempts: 1);
    }

    [Fact]
    public Task Retries_stop_after_two_and_the_503_reaches_the_client() =>
        AssertAttemptsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/unavailable"), HttpStatusCode.ServiceUnavailable, fixture.Auth, attempts: 3);

    [Fact]
    public async Task A_slow_service_times_out_as_504_ProblemDetails()
    {
        var started = TimeProvider.System.GetTimestamp();
        using var response = await Client.GetAsync("/api/tasks/slow", Ct);

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.9));
        // A timed-out request is not retried (the VirtualService retries on connect-failure/503 only).
        Assert.Equal(1, fixture.Tasks.AttemptsFor("/api/tasks/slow"));
    }

    [Fact]
    public async Task A_service_answer_without_a_body_passes_through_unchanged()
    {
        using var response = await Client.GetAsync("/api/tasks/empty-404", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public void Defaults_match_the_VirtualService()
    {
        var defaults = new GatewayOptions();

        Assert.True(defaults.Enabled);
        Assert.Equal(new Uri("http://localhost:5101"), defaults.AuthUrl);
        Assert.Equal(new Uri("http://localhost:5102"), defaults.TasksUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.AuthTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), defaults.TasksTimeout);
        Assert.Equal(2, defaults.RetryAttempts);
    }

    [Fact]
    public async Task An_unreachable_service_is_retried_then_502_ProblemDetails()
    {
        await using var web = new WebHost(new Dictionary<string, string?>
        {
            ["Gateway:AuthUrl"] = $"http://127.0.0.1:{WebHost.FreePort()}",
            ["Gateway:TasksUrl"] = fixture.Tasks.BaseAddress.ToString(),
            ["Gateway:RetryBaseDelay"] = "00:00:00.005",
        });
        using var client = web.Start();

        using var response = await client.GetAsync("/api/auth/me", Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Contains("unavailable", problem.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AppCsp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task With_the_gateway_off_Web_serves_only_the_app()
    {
        await using var web = new WebHost(new Dictionary<string, string?>
        {
            ["Gateway:Enabled"] = "false",
            ["Gateway:AuthUrl"] = fixture.Auth.BaseAddress.ToString(),
            ["Gateway:TasksUrl"] = fixture.Tasks.BaseAddress.ToString(),
        });
        using var client = web.Start();

        using var api = await client.PostAsync("/api/auth/login", JsonContent.Create(new { username = "gateway-off" }), Ct);
        using var app = await client.GetAsync("/dashboard", Ct);
        using var health = await client.GetAsync("/health/live", Ct);

        await AssertProblemAsync(api, HttpStatusCode.NotFound);
        Assert.DoesNotContain(fixture.Auth.Requests, r => r.Body.Contains("gateway-off", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Sends <paramref name="request"/> through the gateway: the client gets <paramref name="answer"/> after <paramref name="upstream"/> saw exactly <paramref name="attempts"/> tries.</summary>
    private async Task AssertAttemptsAsync(HttpRequestMessage request, HttpStatusCode answer, StubUpstream upstream, int attempts)
    {
        var path = request.RequestUri!.OriginalString;
        using var sent = request;
        using var response = await Client.SendAsync(sent, Ct);

        Assert.Equal(answer, response.StatusCode);
        Assert.Equal(attempts, upstream.AttemptsFor(path));
    }

    private async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("error").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"(src|href)\s*=\s*""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"(?:src|href)=""(?<path>/assets/[^""]+)""")]
    private static partial Regex AssetReference();

    // A fetch/import of another origin in the bundle (React's docs links in error messages are plain strings).
    [GeneratedRegex(@"(?:import\(|fetch\(|@import\s+url\()\s*[""']https?://", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrlInCode();
}
