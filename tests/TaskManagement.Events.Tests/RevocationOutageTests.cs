using System.Diagnostics;
using Xunit.Abstractions;

namespace TaskManagement.Events.Tests;

/// <summary>
/// While the broker is down, Auth still refuses a deleted user's token at once, Tasks does not know yet; the
/// tasks written in that window are removed by the user.deleted purge once the event arrives (issue 9).
/// </summary>
public sealed class RevocationOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Tasks_written_while_the_broker_was_down_by_a_deleted_user_are_purged_when_the_event_arrives()
    {
        // Auth publishes through a proxy that the test cuts : its outbox holds user.deleted until the broker is back.
        await using var proxy = BrokerOutage.StartProxy();
        var settings = BrokerOutage.ServiceSettings(
            proxy, initialBackoff: TimeSpan.FromMilliseconds(100), maxBackoff: TimeSpan.FromMilliseconds(500), publishTimeout: TimeSpan.FromSeconds(1));
        await using var stack = await TaskStack.StartAsync(authOverrides: settings);
        var authClient = stack.AuthClient;
        var (userId, _, token) = await authClient.RegisterAndLoginAsync();
        var taskIds = new List<Guid> { await stack.TasksClient.CreateTaskAsync(token, new { title = "Before the outage" }) };

        proxy.Stop();
        using (var deleted = await authClient.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Auth refuses at once from its own database, broker or not.
        using (var me = await authClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/me").WithBearer(token)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        // Tasks has not heard of the deletion yet: the token still writes (the documented window).
        for (var i = 0; i < 3; i++)
        {
            taskIds.Add(await stack.TasksClient.CreateTaskAsync(token, new { title = $"During the outage {i}" }));
        }

        Assert.Equal(4L, await stack.TasksDatabase.CountAsync($"tasks WHERE user_id = '{userId}'"));
        Assert.Equal(1L, await stack.AuthDatabase.CountAsync("outbox_messages WHERE published_at IS NULL AND type = 'com.taskmanagement.user.deleted.v1'"));

        proxy.Start();
        var clock = Stopwatch.StartNew();
        await RevocationTests.TimeUntilRefusedAsync(stack.TasksClient, token, clock, TimeSpan.FromSeconds(60));
        output.WriteLine($"Tasks refused the token {clock.ElapsedMilliseconds} ms after the broker came back");

        // The inbox transaction that records the revocation purges every task, the outage's included. (The consuming
        // replica refuses the token as soon as it handles the event, a moment before that transaction commits.)
        var remaining = -1L;
        for (var i = 0; i < 100 && remaining != 0; i++)
        {
            remaining = await stack.TasksDatabase.CountAsync($"tasks WHERE user_id = '{userId}'");
            if (remaining != 0)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(0L, remaining);
        foreach (var taskId in taskIds)
        {
            Assert.Equal(1L, await stack.TasksDatabase.CountAsync($"outbox_messages WHERE type = '{EventTypes.TaskDeleted}' AND subject = '{taskId}'"));
        }

        using var create = await stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "After the purge" });
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
    }
}
