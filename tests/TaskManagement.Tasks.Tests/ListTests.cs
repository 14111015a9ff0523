using TaskManagement.Tasks.Data;
using TaskManagement.Tasks.Features;

namespace TaskManagement.Tasks.Tests;

public sealed class ListTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    private async Task<string> UserWithTasksAsync(params object[] tasks)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        foreach (var task in tasks)
        {
            await fx.Client.CreateTaskAsync(token, task);
        }

        return token;
    }

    private async Task<(List<JsonElement> Items, HttpResponseMessage Response)> ListAsync(string token, string query)
    {
        var response = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks{query}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.JsonAsync()).EnumerateArray().ToList();
        return (items, response);
    }

    [Fact]
    public async Task Filters_by_repeated_status_and_priority_and_searches_title_and_description()
    {
        var token = await UserWithTasksAsync(
            new { title = "Buy milk", priority = "low" },
            new { title = "File taxes", priority = "high", status = "in_progress" },
            new { title = "Call bank", description = "about the MILK money", priority = "high", status = "completed" },
            new { title = "Plan trip", priority = "medium" });

        var (high, _) = await ListAsync(token, "?priority=high");
        Assert.Equal(["Call bank", "File taxes"], high.Select(t => t.GetProperty("title").GetString()).Order());

        var (open, _) = await ListAsync(token, "?status=pending&status=in_progress");
        Assert.Equal(["Buy milk", "File taxes", "Plan trip"], open.Select(t => t.GetProperty("title").GetString()).Order());

        var (highOpen, _) = await ListAsync(token, "?status=pending&status=in_progress&priority=high");
        Assert.Equal("File taxes", Assert.Single(highOpen).GetProperty("title").GetString());

        var (milk, _) = await ListAsync(token, "?q=milk");
        Assert.Equal(["Buy milk", "Call bank"], milk.Select(t => t.GetProperty("title").GetString()).Order());
    }

    [Theory]
    [InlineData("title", new[] { "Alpha", "Bravo", "Charlie" })]
    [InlineData("priority", new[] { "Bravo", "Charlie", "Alpha" })]
    [InlineData("-priority", new[] { "Alpha", "Charlie", "Bravo" })]
    [InlineData("created", new[] { "Charlie", "Alpha", "Bravo" })]
    [InlineData("-created", new[] { "Bravo", "Alpha", "Charlie" })]
    [InlineData("due", new[] { "Bravo", "Charlie", "Alpha" })]
    [InlineData("-due", new[] { "Charlie", "Bravo", "Alpha" })]
    public async Task Sorts(string sort, string[] expected)
    {
        // Created in this order: Charlie (medium, due 2030-02-01), Alpha (high, no due), Bravo (low, due 2030-01-01).
        var token = await UserWithTasksAsync(
            new { title = "Charlie", priority = "medium", dueDate = "2030-02-01" },
            new { title = "Alpha", priority = "high" },
            new { title = "Bravo", priority = "low", dueDate = "2030-01-01" });

        var (items, _) = await ListAsync(token, $"?sort={sort}");
        Assert.Equal(expected, items.Select(t => t.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Sorting_by_updated_follows_the_last_change()
    {
        var (token, first) = await fx.NewUserWithTaskAsync(new { title = "First" });
        await fx.Client.CreateTaskAsync(token, new { title = "Second" });
        using (await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{first}", token, new { priority = "high" }))
        {
        }

        var (items, _) = await ListAsync(token, "?sort=-updated");
        Assert.Equal(["First", "Second"], items.Select(t => t.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Pages_with_total_count_and_rfc8288_links()
    {
        var token = await UserWithTasksAsync(Enumerable.Range(1, 7).Select(i => (object)new { title = $"Task {i:D2}" }).ToArray());

        var (page, response) = await ListAsync(token, "?sort=title&limit=3&offset=3&priority=medium");
        Assert.Equal(["Task 04", "Task 05", "Task 06"], page.Select(t => t.GetProperty("title").GetString()));
        Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
        var link = response.Headers.GetValues("Link").Single();
        Assert.Contains("</api/tasks?sort=title&priority=medium&limit=3&offset=0>; rel=\"first\"", link, StringComparison.Ordinal);
        Assert.Contains("</api/tasks?sort=title&priority=medium&limit=3&offset=0>; rel=\"prev\"", link, StringComparison.Ordinal);
        Assert.Contains("</api/tasks?sort=title&priority=medium&limit=3&offset=6>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains("</api/tasks?sort=title&priority=medium&limit=3&offset=6>; rel=\"last\"", link, StringComparison.Ordinal);

        var (last, lastResponse) = await ListAsync(token, "?sort=title&limit=3&offset=6");
        Assert.Equal("Task 07", Assert.Single(last).GetProperty("title").GetString());
        Assert.DoesNotContain("rel=\"next\"", lastResponse.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var (all, _) = await ListAsync(token, "");
        Assert.Equal(7, all.Count); // default limit 50
    }

    [Fact]
    public async Task Limit_is_capped_at_200_and_defaults_to_50()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        // Seed 205 rows straight into the database: the API's create limit is not what this test is about.
        var values = string.Join(",", Enumerable.Range(0, 205).Select(i =>
            $"('{Guid.CreateVersion7()}','{userId}','Bulk {i:D3}',NULL,2,'pending',NULL,UTC_TIMESTAMP(6),UTC_TIMESTAMP(6),NULL,1)"));
        await fx.Database.ExecuteAsync($"INSERT INTO tasks (id,user_id,title,description,priority,status,due_date,created_at,updated_at,completed_at,version) VALUES {values}");

        var (capped, response) = await ListAsync(token, "?limit=1000");
        Assert.Equal(200, capped.Count);
        Assert.Equal("205", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("limit=200&offset=200>; rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var (defaults, _) = await ListAsync(token, "");
        Assert.Equal(50, defaults.Count);
    }

    private const string LimitRule = "limit must be a whole number from 1 to 2147483647.";
    private const string OffsetRule = "offset must be a whole number from 0 to 2147483647.";

    [Theory]
    [InlineData("?status=done", "status", "Unknown status 'done'. Use pending, in_progress or completed.")]
    [InlineData("?priority=urgent", "priority", "Unknown priority 'urgent'. Use low, medium or high.")]
    [InlineData("?sort=colour", "sort", "Unknown sort 'colour'. Use one of: SORT_KEYS.")]
    [InlineData("?limit=0", "limit", LimitRule)]
    [InlineData("?limit=ten", "limit", LimitRule)]
    [InlineData("?limit=", "limit", LimitRule)]
    [InlineData("?offset=-1", "offset", OffsetRule)]
    [InlineData("?offset=2147483648", "offset", OffsetRule)]
    [InlineData("?offset=99999999999999999999", "offset", OffsetRule)]
    [InlineData("?offset=%2B5", "offset", OffsetRule)]
    [InlineData("?limit=-5", "limit", LimitRule)]
    [InlineData("?q=Q201", "q", "q must be at most 200 characters.")]
    public async Task Bad_query_values_are_400_naming_the_parameter_and_the_rule(string query, string field, string message)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        query = query.Replace("Q201", new string('q', TaskItem.TitleMaxLength + 1), StringComparison.Ordinal);
        using var response = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks{query}", token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(message.Replace("SORT_KEYS", string.Join(", ", TaskSort.Keys), StringComparison.Ordinal), Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_search_as_long_as_a_title_is_accepted()
    {
        var token = await UserWithTasksAsync(new { title = new string('q', TaskItem.TitleMaxLength), priority = "low" });
        var (found, _) = await ListAsync(token, $"?q={new string('q', TaskItem.TitleMaxLength)}");
        Assert.Single(found);
    }

    [Fact]
    public async Task Summary_counts_every_task_of_the_caller_regardless_of_paging()
    {
        var token = await UserWithTasksAsync(
            new { title = "a", priority = "high", status = "completed", dueDate = "2000-01-01" },
            new { title = "b", priority = "high", dueDate = "2000-01-01" },
            new { title = "c", priority = "low", status = "in_progress", dueDate = "2999-01-01" },
            new { title = "d" });
        await UserWithTasksAsync(new { title = "someone else's", priority = "high" });

        using var response = await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks/summary", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var s = await response.JsonAsync();
        Assert.Equal(4, s.GetProperty("total").GetInt32());
        Assert.Equal(2, s.GetProperty("byStatus").GetProperty("pending").GetInt32());
        Assert.Equal(1, s.GetProperty("byStatus").GetProperty("in_progress").GetInt32());
        Assert.Equal(1, s.GetProperty("byStatus").GetProperty("completed").GetInt32());
        Assert.Equal(2, s.GetProperty("byPriority").GetProperty("high").GetInt32());
        Assert.Equal(1, s.GetProperty("byPriority").GetProperty("medium").GetInt32());
        Assert.Equal(1, s.GetProperty("byPriority").GetProperty("low").GetInt32());
        Assert.Equal(1, s.GetProperty("overdue").GetInt32()); // the completed one is not overdue
        Assert.Equal(0.25, s.GetProperty("completionRate").GetDouble());

        var (_, _, empty) = await fx.Stack.NewUserAsync();
        using var none = await fx.Client.SendAsync(HttpMethod.Get, "/api/tasks/summary", empty);
        var zero = await none.JsonAsync();
        Assert.Equal(0, zero.GetProperty("total").GetInt32());
        Assert.Equal(0, zero.GetProperty("completionRate").GetDouble());
    }

    [Theory]
    [InlineData("?offset=2147483647", 50, 2147483647)]
    [InlineData("?offset=2147483647&limit=200", 200, 2147483647)]
    [InlineData("?offset=2147483647&limit=2147483647", 200, 2147483647)]
    [InlineData("?offset=2147483600&limit=100", 100, 2147483600)]
    [InlineData("?offset=2147483647&limit=1", 1, 2147483647)]
    [InlineData("?limit=2147483647", 200, 0)]
    [InlineData("?limit=2147483648", 200, 0)]
    [InlineData("?limit=99999999999999999999", 200, 0)]
    [InlineData("?offset=4&limit=2", 2, 4)]
    [InlineData("?offset=5&limit=2", 2, 5)]
    public async Task Paging_links_at_the_edges_of_the_range_stay_within_the_results(string query, int limit, int offset)
    {
        var token = await UserWithTasksAsync(new { title = "One" }, new { title = "Two" }, new { title = "Three" }, new { title = "Four" }, new { title = "Five" });

        var (items, response) = await ListAsync(token, query);

        Assert.Equal("5", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(Math.Max(0, Math.Min(limit, 5 - (long)offset)), items.Count);
        var links = response.Headers.GetValues("Link").Single().Split(", ")
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, """\A<[^>]*[?&]limit=(?<limit>[^&>]+)&offset=(?<offset>[^&>]+)>; rel="(?<rel>[a-z]+)"\z"""))
            .ToDictionary(m => m.Groups["rel"].Value, m => (Limit: int.Parse(m.Groups["limit"].Value, System.Globalization.CultureInfo.InvariantCulture), Offset: int.Parse(m.Groups["offset"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        var lastOffset = 4 / limit * limit;
        Assert.Equal((limit, 0), links["first"]);
        Assert.Equal((limit, lastOffset), links["last"]);
        Assert.All(links.Values, l => Assert.InRange(l.Offset, 0, lastOffset));
        Assert.Equal((long)offset + limit < 5, links.ContainsKey("next"));
        if (links.TryGetValue("next", out var next))
        {
            Assert.Equal(offset + limit, next.Offset);
        }

        Assert.Equal(offset > 0, links.ContainsKey("prev"));
        if (links.TryGetValue("prev", out var prev))
        {
            // A page past the end links back to the last page, otherwise to the page before.
            Assert.Equal(Math.Min(Math.Max(0, offset - limit), lastOffset), prev.Offset);
        }
    }
}
