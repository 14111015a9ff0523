namespace TaskManagement.Tasks.Tests;

/// <summary>Every change writes its events into outbox_messages in the same transaction, in order.</summary>
public sealed class OutboxTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    private const string Created = "com.taskmanagement.task.created.v1";
    private const string Updated = "com.taskmanagement.task.updated.v1";
    private const string Completed = "com.taskmanagement.task.completed.v1";
    private const string Deleted = "com.taskmanagement.task.deleted.v1";

    private async Task<List<Dictionary<string, object?>>> EventsAsync(Guid taskId) =>
        await fx.Database.QueryAsync("SELECT type, source, topic, data FROM outbox_messages WHERE subject = @s ORDER BY sequence", ("@s", taskId.ToString()));

    [Fact]
    public async Task Each_operation_writes_exactly_the_expected_events_in_order()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Evented", priority = "low" });
        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { priority = "high", title = "Evented!" }))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { status = "in_progress" }))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { status = "completed" }))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { description = "still completed" }))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token))
        {
        }

        var events = await EventsAsync(id);
        Assert.Equal([Created, Updated, Updated, Updated, Completed, Updated, Deleted], events.Select(e => (string)e["type"]!));
        Assert.All(events, e =>
        {
            Assert.Equal("/taskmanagement/tasks", e["source"]);
            Assert.Equal("tasks", e["topic"]);
        });

        var firstUpdate = JsonDocument.Parse((string)events[1]["data"]!).RootElement;
        Assert.Equal(["title", "priority"], firstUpdate.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(id, firstUpdate.GetProperty("taskId").GetGuid());
        Assert.Equal(userId, firstUpdate.GetProperty("userId").GetGuid());
        Assert.Equal("high", firstUpdate.GetProperty("task").GetProperty("priority").GetString());
        Assert.Equal(2, firstUpdate.GetProperty("task").GetProperty("version").GetInt32());

        Assert.Equal(["status"], ChangedFields(events[2]));
        Assert.Equal(["status"], ChangedFields(events[3]));
        Assert.Equal(["description"], ChangedFields(events[5]));
        Assert.Equal("still completed", JsonDocument.Parse((string)events[5]["data"]!).RootElement.GetProperty("task").GetProperty("description").GetString());

        var completed = JsonDocument.Parse((string)events[4]["data"]!).RootElement;
        Assert.Equal("completed", completed.GetProperty("task").GetProperty("status").GetString());
        var deleted = JsonDocument.Parse((string)events[6]["data"]!).RootElement;
        Assert.Equal("user", deleted.GetProperty("reason").GetString());
    }

    private static List<string?> ChangedFields(Dictionary<string, object?> row) =>
        JsonDocument.Parse((string)row["data"]!).RootElement.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).ToList();

    [Fact]
    public async Task Task_completed_appears_only_on_the_transition_to_completed()
    {
        var (token, born) = await fx.NewUserWithTaskAsync(new { title = "Born done", status = "completed" });
        Assert.Equal([Created, Completed], (await EventsAsync(born)).Select(e => (string)e["type"]!));

        var id = await fx.Client.CreateTaskAsync(token, new { title = "Toggled" });
        for (var i = 0; i < 3; i++)
        {
            using var toggled = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token);
            Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
        }

        // pending → completed → pending → completed: two transitions, two task.completed.
        Assert.Equal([Created, Updated, Completed, Updated, Updated, Completed], (await EventsAsync(id)).Select(e => (string)e["type"]!));

        // Completed → completed again is no change at all.
        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { status = "completed" }))
        {
        }

        Assert.Equal(6, (await EventsAsync(id)).Count);
    }

    [Fact]
    public async Task A_failed_operation_writes_no_event()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Guarded" });
        var before = await fx.Database.CountAsync("outbox_messages");

        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { status = "completed" }, ifMatch: "\"9\""))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "" }))
        {
        }

        using (await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{Guid.NewGuid()}", token))
        {
        }

        Assert.Equal(before, await fx.Database.CountAsync("outbox_messages"));
    }
}
