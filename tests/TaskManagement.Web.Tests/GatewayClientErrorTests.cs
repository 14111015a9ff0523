using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TaskManagement.Web.Tests;

/// <summary>
/// Hostile or malformed requests at the gateway (issue 9, item 8): a client error is a 4xx, never a
/// 502; every 4xx the application writes is problem+json with <c>error</c> and the security headers.
/// Written on raw sockets, so the bytes arrive exactly as given.
/// </summary>
public sealed class GatewayClientErrorTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private CancellationToken Ct => _timeout.Token;

    private Uri Web => fixture.Web.BaseAddress;

    [Theory]
    [InlineData("Cookie", "theme=caf\u00e9")]
    [InlineData("Cookie", "name=\u00c5sa; city=\u6771\u4eac")]
    [InlineData("X-Display-Name", "Zo\u00eb \U0001F600")]
    [InlineData("User-Agent", "Mozilla/5.0 (\u00e9dition sp\u00e9ciale)")]
    public async Task A_legal_non_ASCII_header_value_is_forwarded_unchanged(string name, string value)
    {
        // Through the Auth route: the fixture gives Tasks a 1 s timeout, too short on a loaded machine.
        var (response, query) = await GetWithHeaderAsync("/api/auth/me", name, value);

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(fixture.Auth.Requests, r => r.Query == query);
        Assert.Equal(value, seen.Headers[name]);
    }

    [Theory]
    [InlineData("Cookie", "a=\u0001b")]
    [InlineData("X-Note", "bell\u0007")]
    [InlineData("Cookie", "del=\u007f")]
    public async Task A_header_value_with_control_characters_is_400_ProblemDetails(string name, string value)
    {
        var (response, query) = await GetWithHeaderAsync("/api/tasks/summary", name, value);

        AssertProblem(response, 400);
        Assert.Contains(name, Error(response), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fixture.Tasks.Requests, r => r.Query == query);
    }

    [Fact]
    public async Task A_header_value_that_is_not_UTF8_is_a_4xx_not_a_502()
    {
        // A lone Latin-1 'é' (0xE9): obs-text that is no valid UTF-8. Kestrel refuses it itself.
        var head = Encoding.ASCII.GetBytes("GET /api/tasks/summary HTTP/1.1\r\nHost: localhost\r\nCookie: caf");
        var request = head.Concat(new byte[] { 0xE9 }).Concat(Encoding.ASCII.GetBytes("\r\nConnection: close\r\n\r\n")).ToArray();

        var response = await RawRequest.SendAsync(Web, request, Ct);

        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData("CONNECT /api/tasks HTTP/1.1")]
    [InlineData("CONNECT /api/auth/me HTTP/1.1")]
    [InlineData("TRACE /api/tasks HTTP/1.1")]
    [InlineData("PROPFIND /api/tasks HTTP/1.1")]
    [InlineData("BREW /api/auth/login HTTP/1.1")]
    public async Task A_method_the_API_does_not_know_is_405_ProblemDetails_and_never_forwarded(string requestLine)
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            $"{requestLine}\nHost: localhost\nX-Marker: {marker}\nContent-Length: 0\nConnection: close\n\n"), Ct);

        AssertProblem(response, 405);
        Assert.Contains("GET", response.Headers["allow"], StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Tasks.Requests.Concat(fixture.Auth.Requests), r => r.Headers.TryGetValue("X-Marker", out var m) && m == marker);
    }

    [Fact]
    public async Task CONNECT_to_a_host_is_a_client_error()
    {
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            "CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\nConnection: close\n\n"), Ct);

        Assert.InRange(response.Status, 400, 499);
        if (response.Headers.TryGetValue("content-length", out var length) && length != "0")
        {
            AssertProblem(response, response.Status);
        }
    }

    [Fact]
    public async Task A_body_over_the_limit_with_a_length_is_413_and_never_forwarded()
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = $"{{\"title\":\"{new string('a', 70 * 1024)}\"}}";
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            $"POST /api/tasks?m={marker} HTTP/1.1\nHost: localhost\nContent-Type: application/json\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\nConnection: close\n\n", body), Ct);

        AssertProblem(response, 413);
        Assert.DoesNotContain(fixture.Tasks.Requests, r => r.Query == $"?m={marker}");
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413()
    {
        var chunk = new string('a', 16 * 1024);
        var chunks = new StringBuilder();
        for (var i = 0; i < 5; i++)
        {
            chunks.Append(CultureInfo.InvariantCulture, $"{chunk.Length:x}\r\n{chunk}\r\n");
        }

        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            "PUT /api/tasks/5f0c7d52-3d0b-4f5e-9a8e-1b2c3d4e5f60 HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked\nConnection: close\n\n",
            chunks.Append("0\r\n\r\n").ToString()), Ct);

        AssertProblem(response, 413);
    }

    [Theory]
    [InlineData("GET /api/tasks HTTP/1.1 extra", 400)]
    [InlineData("GET api/tasks HTTP/1.1", 400)]
    [InlineData("GET /api/tasks HTTP/9.9", 505)]
    public async Task A_malformed_request_line_is_a_4xx_from_the_server(string requestLine, int status)
    {
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8($"{requestLine}\nHost: localhost\nConnection: close\n\n"), Ct);

        // Kestrel answers these before any application code runs: status only (see docs/decisions.md).
        Assert.Equal(status, response.Status);
    }

    [Fact]
    public async Task Headers_over_the_limit_are_431()
    {
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            $"GET /api/tasks HTTP/1.1\nHost: localhost\nCookie: big={new string('x', 40 * 1024)}\nConnection: close\n\n"), Ct);

        Assert.Equal(431, response.Status);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/METRICS")]
    [InlineData("/metrics/")]
    [InlineData("/health")]
    [InlineData("/health/")]
    [InlineData("/health/ready")]
    [InlineData("/HEALTH/live")]
    [InlineData("/api/auth/../../metrics")]
    [InlineData("/api/tasks/%2e%2e/%2e%2e/metrics")]
    [InlineData("/api/auth/%2e%2e/%2e%2e/health/ready")]
    [InlineData("/api/tasks/..%2f..%2fmetrics")]
    [InlineData("/api/auth/%2e%2e%2f%2e%2e%2fhealth")]
    public async Task No_internal_endpoint_of_a_service_is_reachable_through_the_gateway(string path)
    {
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8($"GET {path} HTTP/1.1\nHost: localhost\nConnection: close\n\n"), Ct);

        Assert.True(response.Status < 500, $"{path}: {response.Status}");
        // What a service would route: Kestrel has decoded the path (all but %2F) and removed dot segments.
        Assert.DoesNotContain(fixture.Tasks.Requests.Concat(fixture.Auth.Requests), r =>
            r.Path.TrimEnd('/').Equals("/metrics", StringComparison.OrdinalIgnoreCase)
            || r.Path.StartsWith("/health", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("POST", "/metrics", 405)]
    [InlineData("DELETE", "/metrics", 405)]
    [InlineData("GET", "/METRICS", 404)]
    [InlineData("GET", "/metrics/", 404)]
    public async Task Webs_own_metrics_answer_only_GET_and_HEAD_on_the_exact_path(string method, string path, int status)
    {
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8($"{method} {path} HTTP/1.1\nHost: localhost\nContent-Length: 0\nConnection: close\n\n"), Ct);

        AssertProblem(response, status);
        Assert.DoesNotContain("# TYPE", response.Body, StringComparison.Ordinal);
    }

    private static string Error(RawResponse response) =>
        JsonDocument.Parse(response.Body).RootElement.GetProperty("error").GetString() ?? string.Empty;

    /// <summary>
    /// A GET of <paramref name="path"/> carrying one header exactly as given, tagged with a fresh query
    /// (returned) so the stub's log can be searched for this request.
    /// </summary>
    private async Task<(RawResponse Response, string Query)> GetWithHeaderAsync(string path, string name, string value)
    {
        var query = $"?m={Guid.NewGuid():N}";
        var response = await RawRequest.SendAsync(Web, RawRequest.Utf8(
            $"GET {path}{query} HTTP/1.1\nHost: localhost\n{name}: {value}\nConnection: close\n\n"), Ct);
        return (response, query);
    }

    private static void AssertProblem(RawResponse response, int status)
    {
        Assert.True(status == response.Status, $"expected {status}, got {response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.ContentType);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("error").GetString()));
        // Web's own security headers on Web's own answers.
        Assert.Equal("DENY", response.Headers["x-frame-options"]);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        Assert.StartsWith("default-src 'self'", response.Headers["content-security-policy"], StringComparison.Ordinal);
    }
}
