using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// Behaviour that surviving Stryker mutants (docs/mutation-testing.md) showed no test would notice: the exact messages a
/// client reads, the text rules at their edges, updatedAt, the operation metrics and the If-Match/Content-Type answers.
/// </summary>
public sealed class MutationKillingTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    private const string TitleInvisible =
        "Title cannot contain control characters, line breaks or invisible characters (zero-width spaces, joiners, direction marks, byte order marks).";

    public static TheoryData<string, string, string, string> Messages => new()
    {
        // method, JSON body, field, the one message that field gets
        { "PATCH", """{"title":""", "body", "The request body is not valid JSON." },
        { "PATCH", """[1]""", "body", "The request body must be a JSON object." },
        { "PATCH", """{"owner":"x"}""", "owner", "'owner' is not a known field. Known fields: title, description, priority, status, dueDate." },
        { "PATCH", """{"\ud800":"x"}""", "body", "A member name is not valid Unicode text (invalid UTF-8 or a lone surrogate)." },
        { "PATCH", """{"title":"\ud800"}""", "title", "The value of 'title' is not valid Unicode text (invalid UTF-8 or a lone surrogate)." },
        { "PATCH", """{"description":"\udc00x"}""", "description", "The value of 'description' is not valid Unicode text (invalid UTF-8 or a lone surrogate)." },
        { "PATCH", """{"title":123}""", "title", "Title must be a string." },
        { "PUT", """{"title":123}""", "title", "Title must be a string." },
        { "PUT", """{"title":{"a":1}}""", "title", "Title must be a string." },
        { "PATCH", """{"title":null}""", "title", "Title is required and cannot be blank." },
        { "PATCH", """{"title":" \t "}""", "title", "Title is required and cannot be blank." },
        { "PUT", """{"description":"no title"}""", "title", "Title is required and cannot be blank." },
        { "PATCH", $$"""{"title":"{{new string('t', 201)}}"}""", "title", "Title must be at most 200 characters." },
        { "PATCH", """{"title":"a\tb"}""", "title", TitleInvisible },
        { "PATCH", """{"description":5}""", "description", "Description must be a string or null." },
        { "PATCH", """{"description":true}""", "description", "Description must be a string or null." },
        { "PATCH", $$"""{"description":"{{new string('d', 2001)}}"}""", "description", "Description must be at most 2000 characters." },
        { "PATCH", """{"description":"a\u0000b"}""", "description", "Description cannot contain control characters other than tab and line breaks." },
        { "PATCH", """{"priority":"urgent"}""", "priority", "Priority must be low, medium or high." },
        { "PATCH", """{"priority":2}""", "priority", "Priority must be low, medium or high." },
        { "PATCH", """{"status":"done"}""", "status", "Status must be pending, in_progress or completed." },
        { "PATCH", """{"status":null}""", "status", "Status must be pending, in_progress or completed." },
        { "PATCH", """{"dueDate":"31/12/2030"}""", "dueDate", "Due date must be a date (YYYY-MM-DD) or null." },
        { "PATCH", """{"dueDate":20301231}""", "dueDate", "Due date must be a date (YYYY-MM-DD) or null." },
        { "PATCH", """{"dueDate":"2030-12-31T00:00:00"}""", "dueDate", "Due date must be a date (YYYY-MM-DD) or null." },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Each_rejected_field_carries_exactly_its_one_message(string method, string json, string field, string message)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Existing", description = "kept" });
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fx.Client.SendAsync(new HttpMethod(method), $"/api/tasks/{id}", token, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal([message], errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(message, problem.GetProperty("error").GetString());
        Assert.Equal(1, await VersionAsync(id));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_member_name_or_value_has_its_own_message()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Existing" });
        byte[] overlong = [0xC0, 0xAF];

        foreach (var (before, after, field, message) in new[]
        {
            ("{\"priority\":\"", "\"}", "priority", "The value of 'priority' is not valid Unicode text (invalid UTF-8 or a lone surrogate)."),
            ("{\"", "\":1}", "body", "A member name is not valid Unicode text (invalid UTF-8 or a lone surrogate)."),
        })
        {
            using var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before), .. overlong, .. Encoding.UTF8.GetBytes(after)]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, content);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.JsonAsync()).GetProperty("errors");
            Assert.Equal([message], errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_reported_together()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Existing" });
        using var content = new StringContent("""{"title":"","priority":"x","status":"y","dueDate":"z","colour":1}""", Encoding.UTF8, "application/json");

        using var response = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["colour", "dueDate", "priority", "status", "title"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Title is required and cannot be blank."], errors.GetProperty("title").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Member_names_are_case_insensitive_and_a_valid_patch_of_every_field_is_applied_announced_and_counted()
    {
        using var operations = new InstrumentReader(fx.Stack.Tasks.Services, "taskmanagement.tasks.operations");
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Before", description = "old", priority = "low", dueDate = "2030-01-01" });
        Assert.Equal(1, operations.Sum("operation", "create"));
        var createdAt = (await RowAsync(id))["updated_at"];
        await Task.Delay(20); // updatedAt has millisecond precision

        using var content = new StringContent(
            """{"TITLE":"  After  ","Description":"  new  ","priority":"high","dueDate":"2031-02-03","Status":"completed"}""", Encoding.UTF8, "application/merge-patch+json");
        using var patched = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, content);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag?.ToString());
        var body = await patched.JsonAsync();
        JsonAssert.Strings(body, ("title", "After"), ("description", "new"), ("priority", "high"), ("dueDate", "2031-02-03"), ("status", "completed"));
        Assert.True(body.GetProperty("updatedAt").GetDateTimeOffset() > body.GetProperty("createdAt").GetDateTimeOffset());
        var row = await RowAsync(id);
        var updatedAt = row["updated_at"];
        Assert.NotEqual(createdAt, updatedAt);
        Assert.Equal("After", row["title"]);
        Assert.Equal("new", row["description"]);

        var events = await EventsAsync(id);
        Assert.Equal(["task.created", "task.updated", "task.completed"], events.Select(e => e.Type));
        Assert.Equal(["title", "description", "priority", "dueDate", "status"], ChangedFields(events[1].Data));
        Assert.Equal(userId, events[1].Data.GetProperty("userId").GetGuid());
        Assert.Equal("completed", events[2].Data.GetProperty("task").GetProperty("status").GetString());
        Assert.Equal(1, operations.Sum("operation", "complete"));
        Assert.Equal(0, operations.Sum("operation", "update"));

        // The same values again (with other spacing) are no change: no version, no updatedAt, no event, no count.
        using var same = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token,
            new { title = " After ", description = "new ", priority = "high", dueDate = "2031-02-03", status = "completed" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("\"2\"", same.Headers.ETag?.ToString());
        Assert.Equal(updatedAt, (await RowAsync(id))["updated_at"]);
        Assert.Equal(3, (await EventsAsync(id)).Count);
        Assert.Equal(0, operations.Sum("operation", "update"));

        // A blank description clears it; that is a change of "description" only and counts as an update.
        using var blank = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { description = " \n " });
        Assert.Equal(JsonValueKind.Null, (await blank.JsonAsync()).GetProperty("description").ValueKind);
        Assert.Null((await RowAsync(id))["description"]);
        Assert.Equal(["description"], ChangedFields((await EventsAsync(id))[3].Data));
        Assert.Equal(1, operations.Sum("operation", "update"));
        Assert.Equal(1, operations.Sum("operation", "complete"));
    }

    [Fact]
    public async Task The_toggle_counts_complete_then_update_and_changes_only_the_status()
    {
        using var operations = new InstrumentReader(fx.Stack.Tasks.Services, "taskmanagement.tasks.operations");
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Toggle", description = "d", dueDate = "2030-05-06", priority = "high" });

        using (var first = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token))
        {
            Assert.Equal("completed", (await first.JsonAsync()).GetProperty("status").GetString());
        }

        Assert.Equal(1, operations.Sum("operation", "complete"));
        Assert.Equal(0, operations.Sum("operation", "update"));
        using (var second = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token))
        {
            Assert.Equal("\"3\"", second.Headers.ETag?.ToString());
        }

        Assert.Equal(1, operations.Sum("operation", "complete"));
        Assert.Equal(1, operations.Sum("operation", "update"));
        var events = await EventsAsync(id);
        Assert.Equal(["task.created", "task.updated", "task.completed", "task.updated"], events.Select(e => e.Type));
        Assert.All(events.Where(e => e.Type == "task.updated"), e => Assert.Equal(["status"], ChangedFields(e.Data)));
        var state = events[3].Data.GetProperty("task");
        JsonAssert.Strings(state, ("description", "d"), ("dueDate", "2030-05-06"), ("priority", "high"));

        using var missing = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{Guid.NewGuid()}/status", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Task not found.", (await missing.JsonAsync()).GetProperty("error").GetString());

        using var deleted = await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(1, operations.Sum("operation", "delete"));
        Assert.Equal(1, operations.Sum("operation", "complete"));
        Assert.Equal(1, operations.Sum("operation", "update"));
        using var deletedAgain = await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Equal(1, operations.Sum("operation", "delete"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("W/\"1\"")]
    [InlineData("\"01\"")]
    [InlineData("\"2\", W/\"1\"")]
    public async Task An_if_match_that_does_not_strongly_list_the_current_etag_is_412_with_its_message(string ifMatch)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Guarded" });

        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("PATCH", $"/api/tasks/{id}", new { title = "Changed" }),
            ("PUT", $"/api/tasks/{id}", new { title = "Changed" }),
            ("PATCH", $"/api/tasks/{id}/status", null),
            ("DELETE", $"/api/tasks/{id}", null),
        })
        {
            using var response = await fx.Client.SendAsync(new HttpMethod(method), path, token, body, ifMatch);
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            Assert.Equal("The task has changed since you read it (If-Match does not match its ETag).", (await response.JsonAsync()).GetProperty("error").GetString());
        }

        var row = await RowAsync(id);
        Assert.Equal("Guarded", row["title"]);
        Assert.Equal("pending", row["status"]);
        Assert.Single(await EventsAsync(id));
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("\"7\", \"1\"")]
    [InlineData("W/\"1\", \"1\"")]
    [InlineData("*")]
    public async Task An_if_match_listing_the_current_etag_lets_every_write_through(string ifMatch)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Open" });

        using var toggled = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token, ifMatch: ifMatch);
        Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
        Assert.Equal("\"2\"", toggled.Headers.ETag?.ToString());
        Assert.Equal("completed", (await RowAsync(id))["status"]);
    }

    [Fact]
    public async Task A_put_without_a_content_type_is_415_from_the_handler_and_changes_nothing()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Plain" });
        // Without a Content-Type the route still matches and the handler answers; text/plain never reaches it.
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"title":"Changed"}"""));

        using var response = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("The request body must be JSON (Content-Type: application/json).", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal("Plain", (await RowAsync(id))["title"]);
    }

    [Theory]
    [InlineData("👩🏽‍💻 pair on it")] // skin-tone modifier (a modifier symbol) before the joiner
    [InlineData("❤️‍🔥 hot")] // emoji presentation selector before the joiner
    [InlineData("🏳️‍🌈 flag")]
    public async Task Emoji_joiner_sequences_are_valid_titles(string title)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Emoji" });

        using var response = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(title, (await RowAsync(id))["title"]);
    }

    [Theory]
    [InlineData("💻\u200dA")] // a joiner needs a symbol after it too
    [InlineData("💻\u200d")]
    [InlineData("A\u200d💻")]
    [InlineData("\u200d💻")]
    [InlineData("para\u2029graph")]
    public async Task A_joiner_that_joins_no_emoji_or_a_separator_is_refused_in_a_title(string title)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Emoji" });

        using var response = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([TitleInvisible], (await response.JsonAsync()).GetProperty("errors").GetProperty("title").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Emoji", (await RowAsync(id))["title"]);
    }

    [Fact]
    public async Task A_description_keeps_layout_and_format_characters()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Layout" });
        const string Description = "soft\u00adhyphen, zero\u200bwidth, \u202eright-to-left\u202c, line\u2028separator, para\u2029graph,\r\n\tend";

        using var response = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { description = Description });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Description, (await RowAsync(id))["description"]);
    }

    [Fact]
    public async Task A_put_naming_the_title_twice_has_a_title_and_the_last_one_wins()
    {
        // Member names match case-insensitively, so "title" and "Title" are the same field given twice.
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Once" });
        using var content = new StringContent("""{"title":"First","Title":"Second"}""", Encoding.UTF8, "application/json");

        using var response = await fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Second", (await response.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal("Second", (await RowAsync(id))["title"]);
    }

    [Fact]
    public async Task The_openapi_document_carries_the_write_operations_summaries_and_body_types()
    {
        // What client generators (ClientApp/openapi, openapi-typescript) read: the summaries and the accepted bodies.
        using var response = await fx.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync()).GetProperty("paths");
        var put = paths.GetProperty("/api/tasks/{id}").GetProperty("put");
        var patch = paths.GetProperty("/api/tasks/{id}").GetProperty("patch");
        var toggle = paths.GetProperty("/api/tasks/{id}/status").GetProperty("patch");

        Assert.Equal(
            "Sets the task: title required; an absent priority, status, description or dueDate keeps its value (the original API's rule).",
            put.GetProperty("summary").GetString());
        Assert.Equal(["application/json"], put.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal(
            "JSON merge patch: any subset of title, description, priority, status, dueDate; null clears description/dueDate.",
            patch.GetProperty("summary").GetString());
        Assert.Equal(
            ["application/json", "application/merge-patch+json"],
            patch.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal(
            "Toggles pending ⇄ completed (in progress completes); kept for the original API's clients.",
            toggle.GetProperty("summary").GetString());
        Assert.True(paths.GetProperty("/api/tasks").GetProperty("post").GetProperty("responses").TryGetProperty("400", out _)); // ProducesValidationProblem
    }

    private async Task<int> VersionAsync(Guid id) =>
        Convert.ToInt32(await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", id.ToString())), CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, object?>> RowAsync(Guid id) =>
        Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", id.ToString())));

    private async Task<List<(string Type, JsonElement Data)>> EventsAsync(Guid id) =>
        [.. (await fx.Database.QueryAsync("SELECT type, data FROM outbox_messages WHERE subject = @s ORDER BY sequence", ("@s", id.ToString())))
            .Select(r => (((string)r["type"]!).Replace("com.taskmanagement.", string.Empty, StringComparison.Ordinal).Replace(".v1", string.Empty, StringComparison.Ordinal),
                JsonDocument.Parse((string)r["data"]!).RootElement.Clone()))];

    private static List<string?> ChangedFields(JsonElement data) => [.. data.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString())];
}
