using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Testing;

namespace TaskManagement.Tasks.Tests;

public sealed class OperationalTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Fact]
    public async Task Metrics_count_operations_and_time_list_queries()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Measured" });
        using (await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks", token))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token))
        {
        }

        var metrics = await fx.Client.GetStringAsync("/metrics");
        Assert.Matches("taskmanagement_tasks_operations_total\\{[^}]*operation=\"create\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("taskmanagement_tasks_operations_total\\{[^}]*operation=\"delete\"[^}]*\\} [1-9]", metrics);
        Assert.Contains("taskmanagement_tasks_list_duration_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("taskmanagement_outbox_backlog", metrics, StringComparison.Ordinal);
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
        using var response = await fx.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/metrics"));

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
        using var response = await fx.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answer_GET_and_HEAD()
    {
        using var get = await fx.Client.GetAsync("/metrics");
        using var head = await fx.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("# TYPE target_info", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task An_unexpected_error_is_a_500_ProblemDetails_with_the_security_headers()
    {
        await using var tasksDb = await TestDatabase.CreateAsync("tasks");
        await using var tasks = new TasksService(tasksDb.ConnectionString(), fx.Stack.Auth.BaseAddress);
        await using var failing = tasks.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, FaultAtTheEnd>()));
        // The derived host runs on the in-memory test server (UseKestrel does not carry over): same pipeline.
        failing.StartServer();
        using var client = failing.Server.CreateClient();

        using var response = await client.GetAsync(FaultAtTheEnd.Path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("An unexpected error occurred.", (await response.JsonAsync()).GetProperty("error").GetString());
        var headers = response.Headers;
        Assert.Contains("default-src 'none'", Assert.Single(headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.StartsWith("max-age=", Assert.Single(headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("GET", "/api/tasks/not-a-route/at-all")]
    [InlineData("PUT", "/api/tasks")]
    public async Task Routing_answers_carry_the_security_headers_and_a_problem(string method, string path)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();

        using var response = await fx.Client.SendAsync(new HttpMethod(method), path, token);

        Assert.True((int)response.StatusCode is 404 or 405, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.JsonAsync()).GetProperty("error").GetString()));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    /// <summary>
    /// A test-only fault: after the service's whole pipeline (exception handler, security headers, auth,
    /// endpoints), a request to <see cref="Path"/> throws, as a bug in any handler would.
    /// </summary>
    private sealed class FaultAtTheEnd : IStartupFilter
    {
        public const string Path = "/test-fault/unhandled";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == Path
                ? throw new InvalidOperationException("A test fault.")
                : Task.CompletedTask);
        };
    }

    [Fact]
    public async Task The_openapi_document_declares_bearer_security_on_every_task_operation()
    {
        HashSet<string> anonymous = [];
        HashSet<string> unlimited = [];

        await AssertDocumentDescribesAccessAsync(fx.Client, anonymous, unlimited);
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
