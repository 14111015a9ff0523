using System.Net;
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

    [Fact]
    public async Task The_openapi_document_describes_the_task_routes_in_development()
    {
        var document = await fx.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/tasks/{id}\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/tasks/summary\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_down_gives_503_and_the_service_recovers_by_itself()
    {
        await using var proxy = new TcpProxy(Infrastructure.DbHost, Infrastructure.DbPort);
        proxy.Start();
        await using var tasksDb = await TestDatabase.CreateAsync("tasks");
        await using var tasks = new TasksService(tasksDb.ConnectionString(proxy.Port), fx.Stack.Auth.BaseAddress).Start();
        using var client = tasks.CreateHttpClient();
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await client.CreateTaskAsync(token, new { title = "Survives" });

        proxy.Stop();
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var list = await client.SendAsync(HttpMethod.Get, "/api/tasks", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
            Assert.NotNull(list.Headers.RetryAfter);
            Assert.Contains("temporarily unavailable", (await list.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        using (var create = await client.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "Lost?" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        }

        proxy.Start();
        using var again = await client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await tasksDb.CountAsync("tasks"));
    }

    [Fact]
    public async Task Inbox_rows_older_than_the_retention_are_pruned_and_recent_ones_kept()
    {
        await using var tasksDb = await TestDatabase.CreateAsync("tasks");
        await using var tasks = new TasksService(tasksDb.ConnectionString(), fx.Stack.Auth.BaseAddress, new Dictionary<string, string?>
        {
            ["Events:Consumer:InboxRetention"] = "1.00:00:00",
            ["Events:Consumer:InboxPruneInterval"] = "00:00:01",
        }).Start();
        await tasksDb.ExecuteAsync($"""
            INSERT INTO inbox_messages (id, event_id, type, source, processed_at) VALUES
            ('{Guid.CreateVersion7()}', 'old-event', 'com.taskmanagement.user.deleted.v1', '/taskmanagement/auth', UTC_TIMESTAMP(6) - INTERVAL 3 DAY),
            ('{Guid.CreateVersion7()}', 'recent-event', 'com.taskmanagement.user.deleted.v1', '/taskmanagement/auth', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR)
            """);

        for (var i = 0; i < 50 && await tasksDb.CountAsync("inbox_messages WHERE event_id = 'old-event'") > 0; i++)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, await tasksDb.CountAsync("inbox_messages WHERE event_id = 'old-event'"));
        Assert.Equal(1, await tasksDb.CountAsync("inbox_messages WHERE event_id = 'recent-event'"));
    }
}
