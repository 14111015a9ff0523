using System.Net;
using System.Net.Http.Headers;
using Microsoft.OpenApi;
using Xunit;

namespace TaskManagement.Testing;

/// <summary>
/// The operational contract every API service keeps: <c>/metrics</c> answers GET and HEAD on its exact path
/// only, responses carry the security headers, and the OpenAPI document describes who may call what.
/// A service's <c>OperationalTests</c> derives from this (xUnit runs the inherited tests against its
/// <see cref="Client"/>) and adds the checks only that service has.
/// </summary>
/// <param name="client">A client of the service under test.</param>
public abstract class ServiceOperationalTests(HttpClient client)
{
    /// <summary>A client of the service under test.</summary>
    protected HttpClient Client => client;

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task Metrics_refuse_every_method_but_GET_and_HEAD_with_405(string method)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/metrics"));

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
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answer_GET_and_HEAD()
    {
        using var get = await Client.GetAsync("/metrics");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("# TYPE target_info", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    /// <summary>
    /// <c>/metrics</c> shows every series <paramref name="patterns"/> name (regular expressions; a bare
    /// series name matches itself). All are checked, so a failure lists every missing one.
    /// </summary>
    protected async Task AssertMetricsShowAsync(params string[] patterns)
    {
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.All(patterns, pattern => Assert.Matches(pattern, metrics));
    }

    /// <summary>The headers ServiceDefaults' security middleware sets on every answer, error or not.</summary>
    protected static void AssertSecurityHeaders(HttpResponseHeaders headers)
    {
        Assert.Contains("default-src 'none'", Assert.Single(headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.StartsWith("max-age=", Assert.Single(headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(headers.GetValues("Referrer-Policy")));
    }

    /// <summary>
    /// Parses the document with Microsoft.OpenApi (reading validates it) and checks access is described:
    /// the bearer JWT scheme, a requirement and a 401 on every protected operation, none on anonymous ones;
    /// a 429 on every operation except the <paramref name="unlimited"/> ones.
    /// </summary>
    protected async Task AssertOpenApiDescribesAccessAsync(HashSet<string> anonymous, HashSet<string> unlimited)
    {
        var json = await Client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(json, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.StartsWith("3.", read.Diagnostic?.SpecificationVersion.ToString().Replace("OpenApi", "", StringComparison.Ordinal).Replace('_', '.'), StringComparison.Ordinal);
        var document = read.Document!;
        var schemes = document.Components?.SecuritySchemes;
        Assert.True(schemes?.ContainsKey("Bearer") == true, "components.securitySchemes has no Bearer scheme");
        var scheme = Assert.IsType<OpenApiSecurityScheme>(schemes!["Bearer"]);
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
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
