namespace TaskManagement.Tasks.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_21st_create_in_a_minute_is_429_with_retry_after_and_other_users_are_unaffected()
    {
        await using var stack = await TaskStack.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimiting:TaskCreate:PermitLimit"] = "20",
            ["RateLimiting:TaskCreate:Window"] = "00:01:00",
        });
        var (_, _, token) = await stack.NewUserAsync();
        for (var i = 1; i <= 20; i++)
        {
            using var ok = await stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = $"Task {i}" });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var limited = await stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "One too many" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(20, await stack.TasksDatabase.CountAsync("tasks"));

        // Reading is a different policy, and the limit is per user.
        using var list = await stack.TasksClient.SendAsync(HttpMethod.Get, "/api/tasks", token);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var (_, _, other) = await stack.NewUserAsync();
        using var otherCreate = await stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", other, new { title = "Mine" });
        Assert.Equal(HttpStatusCode.Created, otherCreate.StatusCode);
    }
}
