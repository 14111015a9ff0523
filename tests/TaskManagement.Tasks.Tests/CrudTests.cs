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
        JsonAssert.Strings(body, ("priority", "high"), ("status", "pending"), ("dueDate", "2031-05-01"));
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
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Defaults", description = "will go", dueDate = "2030-01-01" });

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
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Toggle me" });

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
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Same", priority = "low" });
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        using var same = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token,
            new { title = "Same", description = (string?)null, priority = "low", status = "pending", dueDate = (string?)null });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("\"1\"", same.Headers.ETag?.ToString());
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
    }

    private async Task<Dictionary<string, object?>> RowAsync(Guid id) =>
        Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", id.ToString())));

    private static DateOnly? DueDate(Dictionary<string, object?> row) => row["due_date"] switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        _ => null,
    };

    [Fact]
    public async Task A_patch_that_omits_description_and_due_date_keeps_them()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Keep", description = "stays", dueDate = "2030-06-15", priority = "high" });

        using var patched = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Keep me" });

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.JsonAsync();
        JsonAssert.Strings(body, ("title", "Keep me"), ("description", "stays"), ("dueDate", "2030-06-15"), ("priority", "high"));
        var row = await RowAsync(id);
        Assert.Equal("stays", row["description"]);
        Assert.Equal(new DateOnly(2030, 6, 15), DueDate(row));
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public async Task An_update_that_only_sets_the_due_date_is_saved_versioned_and_announced(string method)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Due", description = "d", priority = "low" });

        object body = method == "PATCH" ? new { dueDate = "2032-03-04" } : new { title = "Due", description = "d", priority = "low", dueDate = "2032-03-04" };
        using var response = await fx.Client.SendAsync(new HttpMethod(method), $"/api/tasks/{id}", token, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var task = await response.JsonAsync();
        Assert.Equal("2032-03-04", task.GetProperty("dueDate").GetString());
        Assert.Equal(2, task.GetProperty("version").GetInt32());
        var row = await RowAsync(id);
        Assert.Equal(new DateOnly(2032, 3, 4), DueDate(row));
        Assert.Equal(2, Convert.ToInt32(row["version"], System.Globalization.CultureInfo.InvariantCulture));
        var update = Assert.Single(await fx.Database.QueryAsync(
            "SELECT data FROM outbox_messages WHERE subject = @s AND type = 'com.taskmanagement.task.updated.v1'", ("@s", id.ToString())));
        var data = JsonDocument.Parse((string)update["data"]!).RootElement;
        Assert.Equal(["dueDate"], data.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("2032-03-04", data.GetProperty("task").GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task The_status_toggle_keeps_description_and_due_date_and_answers_the_new_etag()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Toggle", description = "details", dueDate = "2031-01-31", priority = "high" });

        using var toggled = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token);
        Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
        Assert.Equal("\"2\"", toggled.Headers.ETag?.ToString());
        using var back = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token, ifMatch: "\"2\"");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("\"3\"", back.Headers.ETag?.ToString());
        using var stale = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token, ifMatch: "\"2\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        var row = await RowAsync(id);
        Assert.Equal("details", row["description"]);
        Assert.Equal(new DateOnly(2031, 1, 31), DueDate(row));
        Assert.Equal("Toggle", row["title"]);
        Assert.Equal("pending", row["status"]);
        Assert.Equal(3, Convert.ToInt32(row["version"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_put_with_the_original_apis_fields_keeps_status_due_date_and_answers_task_updated()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Original", description = "old", priority = "low", status = "in_progress", dueDate = "2030-01-02" });

        using var put = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, new { title = "Edited", description = "new" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await put.JsonAsync();
        JsonAssert.Strings(
            body,
            ("message", "Task updated"),
            ("title", "Edited"),
            ("description", "new"),
            ("priority", "low"),
            ("status", "in_progress"),
            ("dueDate", "2030-01-02"));
        Assert.Equal("\"2\"", put.Headers.ETag?.ToString());

        // Present values still replace, and null clears description and due date.
        using var cleared = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token,
            new { title = "Edited", description = (string?)null, priority = "high", status = "completed", dueDate = (string?)null }, ifMatch: "\"2\"");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var row = await RowAsync(id);
        Assert.Null(row["description"]);
        Assert.Null(row["due_date"]);
        Assert.Equal("completed", row["status"]);
        Assert.Equal(3, Convert.ToInt32(row["priority"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Task_objects_carry_the_original_snake_case_members_beside_the_camel_case_ones()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        using var created = await fx.Client.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "Dated" });
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        using var put = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, new { title = "Dated!", description = "x" });
        using var patch = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { priority = "high" });
        using var get = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", token);
        using var list = await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks", token);

        var tasks = new[] { await created.JsonAsync(), await put.JsonAsync(), await patch.JsonAsync(), await get.JsonAsync(), (await list.JsonAsync())[0] };
        Assert.All(tasks, t =>
        {
            Assert.Equal(userId, t.GetProperty("user_id").GetGuid());
            Assert.Equal(t.GetProperty("createdAt").GetDateTimeOffset(), t.GetProperty("created_at").GetDateTimeOffset());
            Assert.Equal(t.GetProperty("updatedAt").GetDateTimeOffset(), t.GetProperty("updated_at").GetDateTimeOffset());
            Assert.Equal(TimeSpan.Zero, t.GetProperty("created_at").GetDateTimeOffset().Offset); // ISO 8601 in UTC
        });
    }
}
