using System.Text;
using System.Text.Json;

namespace TaskManagement.Events.Tests;

/// <summary>
/// The Task service's events as a plain AMQP subscriber sees them, and its reaction to user.deleted
/// arriving over RabbitMQ from the real Auth service.
/// </summary>
public sealed class TaskEventTests : IAsyncLifetime
{
    private AmqpEventListener _listener = null!;
    private TaskStack _stack = null!;

    public async Task InitializeAsync()
    {
        _listener = await AmqpEventListener.StartAsync(Topics.Tasks, Topics.Users);
        _stack = await TaskStack.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task Each_task_operation_publishes_exactly_one_cloud_event_of_its_type()
    {
        var (userId, _, token) = await _stack.NewUserAsync();
        var client = _stack.TasksClient;
        var id = await client.CreateTaskAsync(token, new { title = "Wire me", priority = "low" });
        await ExpectAsync(id, EventTypes.TaskCreated, 1, data =>
        {
            Assert.Equal(id, data.GetProperty("taskId").GetGuid());
            Assert.Equal(userId, data.GetProperty("userId").GetGuid());
            Assert.Equal("Wire me", data.GetProperty("task").GetProperty("title").GetString());
        });

        using (await client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}", token, new { priority = "high" }))
        {
        }

        await ExpectAsync(id, EventTypes.TaskUpdated, 1, data =>
            Assert.Equal(["priority"], data.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString())));

        using (await client.SendAsync(HttpMethod.Patch, $"/api/tasks/{id}/status", token))
        {
        }

        await ExpectAsync(id, EventTypes.TaskCompleted, 1, data =>
            Assert.Equal("completed", data.GetProperty("task").GetProperty("status").GetString()));
        await ExpectAsync(id, EventTypes.TaskUpdated, 2, _ => { });

        using (var deleted = await client.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await ExpectAsync(id, EventTypes.TaskDeleted, 1, data => Assert.Equal("user", data.GetProperty("reason").GetString()));

        // Nothing more than that: one event per change, in the order of the changes.
        await Task.Delay(300);
        var all = _listener.Deliveries.Where(AmqpEventListener.Subject(id.ToString())).Select(d => d.CloudEvent.Type).ToList();
        Assert.Equal([EventTypes.TaskCreated, EventTypes.TaskUpdated, EventTypes.TaskUpdated, EventTypes.TaskCompleted, EventTypes.TaskDeleted], all);
    }

    [Fact]
    public async Task A_deleted_account_takes_exactly_its_tasks_with_it_and_a_redelivery_changes_nothing()
    {
        var (doomedId, _, doomed) = await _stack.NewUserAsync();
        var (_, _, survivor) = await _stack.NewUserAsync();
        var doomedTasks = new[]
        {
            await _stack.TasksClient.CreateTaskAsync(doomed, new { title = "one" }),
            await _stack.TasksClient.CreateTaskAsync(doomed, new { title = "two" }),
        };
        var kept = await _stack.TasksClient.CreateTaskAsync(survivor, new { title = "stays" });

        using (var gone = await _stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(doomed)))
        {
            Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        }

        // Auth's outbox → users exchange → this Tasks instance's queue → handler → Tasks' outbox → tasks exchange.
        var userDeleted = Assert.Single(await _listener.WaitForAsync(AmqpEventListener.Subject(doomedId.ToString(), EventTypes.UserDeleted)));
        foreach (var task in doomedTasks)
        {
            var deleted = Assert.Single(await _listener.WaitForAsync(AmqpEventListener.Subject(task.ToString(), EventTypes.TaskDeleted)));
            var data = (JsonElement)deleted.CloudEvent.Data!;
            Assert.Equal("account-deleted", data.GetProperty("reason").GetString());
            Assert.Equal(doomedId, data.GetProperty("userId").GetGuid());
        }

        Assert.Equal(0, await _stack.TasksDatabase.CountAsync($"tasks WHERE user_id = '{doomedId}'"));
        Assert.Equal(1, await _stack.TasksDatabase.CountAsync($"tasks WHERE id = '{kept}'"));
        var inboxId = userDeleted.CloudEvent.Id!;
        Assert.Equal(1, await _stack.TasksDatabase.CountAsync($"inbox_messages WHERE event_id = '{inboxId}'"));

        // The broker redelivers the very same event (same id): the inbox makes it a no-op.
        var outboxBefore = await _stack.TasksDatabase.CountAsync("outbox_messages");
        await AmqpEventListener.PublishAsync(Topics.Users, userDeleted.Body, "application/cloudevents+json");
        await _listener.WaitForAsync(AmqpEventListener.Subject(doomedId.ToString(), EventTypes.UserDeleted), count: 2);
        await Eventually.HoldsAsync(async () => await MetricAsync("taskmanagement_events_duplicates_total") >= 1);
        Assert.Equal(outboxBefore, await _stack.TasksDatabase.CountAsync("outbox_messages"));
        Assert.Equal(1, await _stack.TasksDatabase.CountAsync($"inbox_messages WHERE event_id = '{inboxId}'"));
        Assert.Equal(1, await _stack.TasksDatabase.CountAsync($"tasks WHERE id = '{kept}'"));
    }

    private async Task ExpectAsync(Guid taskId, string type, int count, Action<JsonElement> check)
    {
        var deliveries = await _listener.WaitForAsync(AmqpEventListener.Subject(taskId.ToString(), type), count);
        Assert.Equal(count, deliveries.Count);
        var delivery = deliveries[^1];
        Assert.Equal(Topics.Tasks, delivery.Exchange);
        Assert.Equal("application/cloudevents+json", delivery.Properties.ContentType);
        var cloudEvent = delivery.CloudEvent;
        Assert.Equal(EventSources.Tasks, cloudEvent.Source!.OriginalString);
        check((JsonElement)cloudEvent.Data!);
    }

    private async Task<double> MetricAsync(string name)
    {
        var text = await _stack.TasksClient.GetStringAsync("/metrics");
        // "name{labels} value [timestamp]": the value is the first field after the series.
        return System.Text.RegularExpressions.Regex.Matches(text, $@"^{name}(?:\{{[^}}]*\}})?\s+(\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
