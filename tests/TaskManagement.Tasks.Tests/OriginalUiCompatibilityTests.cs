using System.Globalization;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// Replays the original system's React UI, request by request, with its exact bodies, and checks the statuses and the
/// members it reads (it parses <c>created_at</c> with <c>new Date(...)</c> for every card). If this fails, the original
/// front end breaks against this backend.
/// </summary>
public sealed class OriginalUiCompatibilityTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    private HttpClient Auth => fx.Stack.AuthClient;

    private HttpClient Tasks => fx.Client;

    [Fact]
    public async Task Register_login_list_create_edit_toggle_filter_reload_and_delete_work_as_the_original_ui_expects()
    {
        // Register and log in: the UI posts {username, password} and keeps `token` from the login answer.
        var username = AuthApi.NewUsername("ui");
        using (var registered = await Auth.PostAsJsonAsync("/api/auth/register", new { username, password = AuthApi.StrongPassword }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        string token;
        using (var login = await Auth.PostAsJsonAsync("/api/auth/login", new { username, password = AuthApi.StrongPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            token = (await login.JsonAsync()).GetProperty("token").GetString()!;
        }

        // The first list of a new account is an empty array.
        Assert.Empty(await ListAsync(token, ""));

        // Create: the form sends {title, description, priority}.
        using (var created = await Tasks.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "Buy milk", description = "2 litres", priority = "medium" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await created.JsonAsync();
            Assert.Equal("Task created successfully", body.GetProperty("message").GetString());
            Assert.Equal(body.GetProperty("id").GetGuid(), body.GetProperty("taskId").GetGuid());
        }

        using (var second = await Tasks.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "Walk the dog", description = "", priority = "low" }))
        {
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }

        // List: each card reads id, title, description, priority, status and created_at.
        var tasks = await ListAsync(token, "");
        Assert.Equal(2, tasks.Count);
        var milk = tasks.Single(t => t.GetProperty("title").GetString() == "Buy milk");
        var id = milk.GetProperty("id").GetString();
        JsonAssert.Strings(milk, ("description", "2 litres"), ("priority", "medium"), ("status", "pending"));
        Assert.All(tasks, AssertBrowserDate);

        // Toggle: PATCH without a body answers {message, status}.
        using (var toggled = await Tasks.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token))
        {
            Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
            var body = await toggled.JsonAsync();
            Assert.Equal("Task status updated", body.GetProperty("message").GetString());
            Assert.Equal("completed", body.GetProperty("status").GetString());
        }

        // Edit: the modal sends {title, description, priority} only; the original answered 200 {"message":"Task updated"}.
        using (var edited = await Tasks.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, new { title = "Buy oat milk", description = "3 litres", priority = "high" }))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
            Assert.Equal("Task updated", (await edited.JsonAsync()).GetProperty("message").GetString());
        }

        // Reload: the edit is there and the status the edit did not send is kept.
        var reloaded = (await ListAsync(token, "")).Single(t => t.GetProperty("id").GetString() == id);
        JsonAssert.Strings(reloaded, ("title", "Buy oat milk"), ("description", "3 litres"), ("priority", "high"), ("status", "completed"));
        AssertBrowserDate(reloaded);

        // Filters: one status or one priority at a time.
        Assert.Equal(["Buy oat milk"], (await ListAsync(token, "?status=completed")).Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(["Walk the dog"], (await ListAsync(token, "?status=pending")).Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(["Walk the dog"], (await ListAsync(token, "?priority=low")).Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(["Buy oat milk"], (await ListAsync(token, "?priority=high")).Select(t => t.GetProperty("title").GetString()));

        // Toggle back, then delete: the UI only checks that the answer is a success, then reloads.
        using (var toggled = await Tasks.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token))
        {
            Assert.Equal("pending", (await toggled.JsonAsync()).GetProperty("status").GetString());
        }

        using (var deleted = await Tasks.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"{(int)deleted.StatusCode}");
        }

        Assert.Equal(["Walk the dog"], (await ListAsync(token, "")).Select(t => t.GetProperty("title").GetString()));
    }

    private async Task<List<JsonElement>> ListAsync(string token, string query)
    {
        using var response = await Tasks.SendAsync(HttpMethod.Get, $"/api/tasks{query}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        return [.. body.EnumerateArray()];
    }

    /// <summary>What <c>new Date(task.created_at)</c> needs: an ISO 8601 date-time string (with its offset), this task's creation time.</summary>
    private static void AssertBrowserDate(JsonElement task)
    {
        var raw = task.GetProperty("created_at").GetString();
        Assert.Matches(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\z", raw);
        var created = DateTimeOffset.Parse(raw!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(task.GetProperty("createdAt").GetDateTimeOffset(), created);
        Assert.Equal(JsonValueKind.String, task.GetProperty("updated_at").ValueKind);
        Assert.Equal(JsonValueKind.String, task.GetProperty("user_id").ValueKind);
    }
}
