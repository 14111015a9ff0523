namespace TaskManagement.Tasks.Tests;

public sealed class IsolationTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Fact]
    public async Task Another_users_task_is_404_for_every_method_and_stays_unchanged()
    {
        var (_, _, alice) = await fx.Stack.NewUserAsync();
        var (_, _, bob) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(alice, new { title = "Alice's secret", priority = "high" });
        var before = await fx.Database.QueryAsync("SELECT title, priority, status, version FROM tasks WHERE id = @id", ("@id", id.ToString()));
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/tasks/{id}", null),
            (HttpMethod.Put, $"/api/tasks/{id}", new { title = "Bob was here", priority = "low", status = "completed" }),
            (HttpMethod.Patch, $"/api/tasks/{id}", new { title = "Bob was here" }),
            (HttpMethod.Patch, $"/api/tasks/{id}/status", null),
            (HttpMethod.Delete, $"/api/tasks/{id}", null),
        };
        using var missing = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{Guid.NewGuid()}", bob);
        var missingBody = await missing.Content.ReadAsStringAsync();

        foreach (var (method, path, body) in attempts)
        {
            using var response = await fx.Client.SendAsync(method, path, bob, body);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            // Indistinguishable from a task that does not exist (apart from the trace id and path).
            var json = await response.JsonAsync();
            Assert.Equal("Task not found.", json.GetProperty("error").GetString());
        }

        Assert.Contains("Task not found.", missingBody, StringComparison.Ordinal);
        var after = await fx.Database.QueryAsync("SELECT title, priority, status, version FROM tasks WHERE id = @id", ("@id", id.ToString()));
        Assert.Equal(before.Single(), after.Single());
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));

        using var list = await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks", bob);
        Assert.Empty((await list.JsonAsync()).EnumerateArray());
        using var aliceRead = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", alice);
        Assert.Equal("Alice's secret", (await aliceRead.JsonAsync()).GetProperty("title").GetString());
    }
}
