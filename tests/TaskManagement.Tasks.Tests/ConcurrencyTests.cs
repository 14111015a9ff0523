using System.Globalization;

namespace TaskManagement.Tasks.Tests;

public sealed class ConcurrencyTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    /// <summary>The methods that write one task (by id) and so honour If-Match.</summary>
    public static TheoryData<string> WritesToOneTask => ["PUT", "PATCH", "DELETE"];

    [Theory]
    [MemberData(nameof(WritesToOneTask))]
    public async Task A_stale_if_match_is_412_and_changes_nothing_the_current_one_succeeds(string method)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Versioned" });
        using (var bump = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { priority = "high" }))
        {
            Assert.Equal("\"2\"", bump.Headers.ETag?.ToString());
        }

        object? body = method switch
        {
            "PUT" => new { title = "Replaced", priority = "low", status = "pending" },
            "PATCH" => new { title = "Patched" },
            _ => null,
        };
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        using var stale = await fx.Client.SendAsync(new HttpMethod(method), $"/api/tasks/{id}", token, body, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Versioned", await fx.Database.ScalarAsync("SELECT title FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal(2, Convert.ToInt32(await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", id.ToString())), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));

        using var current = await fx.Client.SendAsync(new HttpMethod(method), $"/api/tasks/{id}", token, body, ifMatch: "\"2\"");
        if (method == "DELETE")
        {
            Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
            Assert.Equal(0, await fx.Database.CountAsync($"tasks WHERE id = '{id}'"));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
            Assert.Equal("\"3\"", current.Headers.ETag?.ToString());
        }
    }

    [Fact]
    public async Task Without_if_match_the_write_goes_through_and_star_matches_any_version()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Loose" });
        using var noHeader = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Loose 2" });
        Assert.Equal(HttpStatusCode.OK, noHeader.StatusCode);
        using var star = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Loose 3" }, ifMatch: "*");
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        Assert.Equal("\"3\"", star.Headers.ETag?.ToString());
    }

    private const string Updated = "com.taskmanagement.task.updated.v1";

    [Fact]
    public async Task Twenty_simultaneous_unconditional_puts_all_succeed_and_the_last_writer_wins_consistently()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Contended", priority = "low" });

        var responses = await SimultaneouslyAsync(token, 20, i => (HttpMethod.Put, $"/api/tasks/{id}", new { title = $"Writer {i}", description = $"by {i}", priority = "high", status = "in_progress" }, null));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var versions = responses.Select(r => r.Body.GetProperty("version").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(2, 20), versions); // every write applied on top of the one before: no lost update
        Assert.All(responses, r => Assert.Equal($"\"{r.Body.GetProperty("version").GetInt32()}\"", r.ETag));

        var last = responses.Single(r => r.Body.GetProperty("version").GetInt32() == 21).Body;
        var row = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal(last.GetProperty("title").GetString(), row["title"]);
        Assert.Equal(last.GetProperty("description").GetString(), row["description"]);
        Assert.Equal($"by {last.GetProperty("title").GetString()!["Writer ".Length..]}", row["description"]); // one writer's state, not a mix
        Assert.Equal(21, Convert.ToInt32(row["version"], CultureInfo.InvariantCulture));

        // One task.updated per effective change, carrying the versions 2..21 once each.
        var updates = await fx.Database.QueryAsync("SELECT data FROM outbox_messages WHERE subject = @s AND type = @t", ("@s", id.ToString()), ("@t", Updated));
        Assert.Equal(
            Enumerable.Range(2, 20),
            updates.Select(u => JsonDocument.Parse((string)u["data"]!).RootElement.GetProperty("task").GetProperty("version").GetInt32()).Order());
    }

    [Fact]
    public async Task Simultaneous_unconditional_toggles_each_flip_the_status_once()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Flip-flop" });

        var responses = await SimultaneouslyAsync(token, 10, _ => (HttpMethod.Patch, $"/api/tasks/{id}/status", null, null));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(5, responses.Count(r => r.Body.GetProperty("status").GetString() == "completed"));
        Assert.Equal(Enumerable.Range(2, 10), responses.Select(r => int.Parse(r.ETag!.Trim('"'), CultureInfo.InvariantCulture)).Order());
        Assert.Equal("pending", await fx.Database.ScalarAsync("SELECT status FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal(11, Convert.ToInt32(await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", id.ToString())), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Simultaneous_deletes_are_one_204_and_404s_never_409()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Delete me, everyone" });

        var responses = await SimultaneouslyAsync(token, 10, _ => (HttpMethod.Delete, $"/api/tasks/{id}", null, null));

        Assert.Single(responses, r => r.Status == HttpStatusCode.NoContent);
        Assert.All(responses, r => Assert.Contains(r.Status, new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound }));
        Assert.Equal(0, await fx.Database.CountAsync($"tasks WHERE id = '{id}'"));
        Assert.Equal(1, await fx.Database.CountAsync($"outbox_messages WHERE subject = '{id}' AND type = 'com.taskmanagement.task.deleted.v1'"));
    }

    [Theory]
    [MemberData(nameof(WritesToOneTask))]
    public async Task Simultaneous_writers_with_the_same_if_match_are_one_success_and_412s_never_409(string method)
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Guarded" });

        var responses = await SimultaneouslyAsync(token, 10, i => (new HttpMethod(method), $"/api/tasks/{id}", method == "DELETE" ? null : new { title = $"Guarded {i}" }, "\"1\""));

        var success = method == "DELETE" ? HttpStatusCode.NoContent : HttpStatusCode.OK;
        Assert.Single(responses, r => r.Status == success);

        // A DELETE that arrives after the winner's finds no task: 404, as without If-Match (RFC 9110 §13.2.1 ignores
        // preconditions when the answer would not be 2xx/412). Racing the winner is 412. Never 409.
        HttpStatusCode[] allowed = method == "DELETE" ? [success, HttpStatusCode.PreconditionFailed, HttpStatusCode.NotFound] : [success, HttpStatusCode.PreconditionFailed];
        Assert.All(responses, r => Assert.Contains(r.Status, allowed));
        var events = await fx.Database.CountAsync($"outbox_messages WHERE subject = '{id}' AND type <> 'com.taskmanagement.task.created.v1'");
        Assert.Equal(1, events);
        if (method != "DELETE")
        {
            var winner = responses.Single(r => r.Status == success).Body.GetProperty("title").GetString();
            Assert.Equal(winner, await fx.Database.ScalarAsync("SELECT title FROM tasks WHERE id = @id", ("@id", id.ToString())));
            Assert.Equal(2, Convert.ToInt32(await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", id.ToString())), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task If_match_listing_several_etags_succeeds_when_one_is_current_and_412_when_none_is()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Listed" });
        var before = await fx.Database.CountAsync("outbox_messages");

        using (var none = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Nope" }, ifMatch: "\"7\", \"9\""))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, none.StatusCode);
        }

        using (var weak = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Nope" }, ifMatch: "W/\"1\""))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, weak.StatusCode); // If-Match compares strongly
        }

        Assert.Equal(before, await fx.Database.CountAsync("outbox_messages"));
        using var listed = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Listed 2" }, ifMatch: "\"7\", \"1\", \"9\"");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("\"2\"", listed.Headers.ETag?.ToString());
        Assert.Equal("Listed 2", await fx.Database.ScalarAsync("SELECT title FROM tasks WHERE id = @id", ("@id", id.ToString())));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"1\", *")]
    public async Task Simultaneous_writers_with_if_match_star_are_last_writer_wins_like_no_if_match(string ifMatch)
    {
        // "*" (alone or listed) asks for no version: a writer that loses the race is re-applied, never 412.
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Anyone" });

        var responses = await SimultaneouslyAsync(token, 12, i => (HttpMethod.Patch, $"/api/tasks/{id}", new { title = $"Anyone {i}" }, ifMatch));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(Enumerable.Range(2, 12), responses.Select(r => r.Body.GetProperty("version").GetInt32()).Order());
        Assert.Equal(13, Convert.ToInt32(await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", id.ToString())), CultureInfo.InvariantCulture));
    }

    /// <summary>Sends <paramref name="count"/> requests at once (all built first, released together) and collects the answers.</summary>
    private async Task<List<(HttpStatusCode Status, JsonElement Body, string? ETag)>> SimultaneouslyAsync(
        string token, int count, Func<int, (HttpMethod Method, string Path, object? Body, string? IfMatch)> request)
    {
        using var start = new SemaphoreSlim(0, count);
        var sends = Enumerable.Range(0, count).Select(async i =>
        {
            var (method, path, body, ifMatch) = request(i);
            await start.WaitAsync();
            using var response = await fx.Client.SendAsync(method, path, token, body, ifMatch);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
            return (response.StatusCode, json, response.Headers.ETag?.ToString());
        }).ToList();
        start.Release(count);
        return [.. await Task.WhenAll(sends)];
    }
}
