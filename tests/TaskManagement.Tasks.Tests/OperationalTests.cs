using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Tasks.Tests;

public sealed class OperationalTests(TasksFixture fx) : ServiceOperationalTests(fx.Client), IClassFixture<TasksFixture>
{
    [Fact]
    public async Task Metrics_count_operations_and_time_list_queries()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Measured" });
        using (await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks", token))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token))
        {
        }

        await AssertMetricsShowAsync(
            "taskmanagement_tasks_operations_total\\{[^}]*operation=\"create\"[^}]*\\} [1-9]",
            "taskmanagement_tasks_operations_total\\{[^}]*operation=\"delete\"[^}]*\\} [1-9]",
            "taskmanagement_tasks_list_duration_seconds_count",
            "taskmanagement_outbox_backlog");
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
        AssertSecurityHeaders(response.Headers);
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

        await AssertOpenApiDescribesAccessAsync(anonymous, unlimited);
    }
}
