using System.Net;
using TaskManagement.Testing;

namespace TaskManagement.Tasks.Tests;

public sealed class ConcurrencyTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task A_stale_if_match_is_412_and_changes_nothing_the_current_one_succeeds(string method)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Versioned" });
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
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Loose" });
        using var noHeader = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Loose 2" });
        Assert.Equal(HttpStatusCode.OK, noHeader.StatusCode);
        using var star = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { title = "Loose 3" }, ifMatch: "*");
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        Assert.Equal("\"3\"", star.Headers.ETag?.ToString());
    }
}
