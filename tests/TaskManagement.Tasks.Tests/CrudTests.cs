using System.Net;
using System.Text.Json;
using TaskManagement.Testing;

namespace TaskManagement.Tasks.Tests;

public sealed class CrudTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Fact]
    public async Task Create_read_replace_patch_delete_round_trip()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();

        using var created = await fx.Client.SendAsync(HttpMethod.Post, "/api/tasks", token,
            new { title = "  Write the report  ", description = "Quarterly numbers", priority = "high", dueDate = "2031-05-01" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/tasks/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("Task created successfully", body.GetProperty("message").GetString());
        Assert.Equal(id, body.GetProperty("taskId").GetGuid());
        Assert.Equal("Write the report", body.GetProperty("title").GetString()); // trimmed
        Assert.Equal("high", body.GetProperty("priority").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("2031-05-01", body.GetProperty("dueDate").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completedAt").ValueKind);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());

        var row = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal(userId.ToString(), row["user_id"]?.ToString());
        Assert.Equal("Write the report", row["title"]);

        using var read = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Quarterly numbers", (await read.JsonAsync()).GetProperty("description").GetString());
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());

        using var replaced = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token,
            new { title = "Write the final report", description = (string?)null, priority = "medium", status = "in_progress", dueDate = (string?)null });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var afterPut = await replaced.JsonAsync();
        Assert.Equal("Write the final report", afterPut.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, afterPut.GetProperty("description").ValueKind);
        Assert.Equal("in_progress", afterPut.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, afterPut.GetProperty("dueDate").ValueKind);
        Assert.Equal(2, afterPut.GetProperty("version").GetInt32());

        using var patched = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { status = "completed" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var afterPatch = await patched.JsonAsync();
        Assert.Equal("completed", afterPatch.GetProperty("status").GetString());
        Assert.Equal("Write the final report", afterPatch.GetProperty("title").GetString()); // untouched
        Assert.NotEqual(JsonValueKind.Null, afterPatch.GetProperty("completedAt").ValueKind);
        Assert.Equal("\"3\"", patched.Headers.ETag?.ToString());

        using var deleted = await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("Task not found.", (await gone.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(0, await fx.Database.CountAsync($"tasks WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Defaults_are_medium_and_pending_and_a_patch_can_clear_description_and_due_date()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Defaults", description = "will go", dueDate = "2030-01-01" });

        using var read = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        var task = await read.JsonAsync();
        Assert.Equal("medium", task.GetProperty("priority").GetString());
        Assert.Equal("pending", task.GetProperty("status").GetString());

        using var cleared = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { description = (string?)null, dueDate = (string?)null });
        var after = await cleared.JsonAsync();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("dueDate").ValueKind);
        Assert.Equal("Defaults", after.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_original_status_toggle_flips_pending_and_completed()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Toggle me" });

        using var first = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("Task status updated", body.GetProperty("message").GetString());

        using var second = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token);
        Assert.Equal("pending", (await second.JsonAsync()).GetProperty("status").GetString());
        using var read = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        Assert.Equal(JsonValueKind.Null, (await read.JsonAsync()).GetProperty("completedAt").ValueKind);
    }

    [Fact]
    public async Task A_put_that_changes_nothing_keeps_the_version_and_writes_no_event()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Same", priority = "low" });
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        using var same = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token,
            new { title = "Same", description = (string?)null, priority = "low", status = "pending", dueDate = (string?)null });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("\"1\"", same.Headers.ETag?.ToString());
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
    }
}
