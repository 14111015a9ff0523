using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TaskManagement.Eventing;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// The live stream in Dapr mode (no daprd here): the subscription Tasks announces on <c>/dapr/subscribe</c> per
/// Dapr's documented HTTP contract, and a delivery shaped as daprd posts it reaching the owner's stream.
/// </summary>
public sealed class LiveStreamDaprTests : IAsyncLifetime
{
    private TaskStack _stack = null!;

    public async Task InitializeAsync() => _stack = await TaskStack.StartAsync(new Dictionary<string, string?>
    {
        // auto mode: a sidecar address selects Dapr. Nothing listens there; publishing is not under test.
        ["Events:Transport"] = "auto",
        ["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:9",
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Dapr_subscribe_lists_the_tasks_topic_on_the_per_pod_component()
    {
        using var response = await _stack.TasksClient.GetAsync("/dapr/subscribe");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subscriptions = (await response.JsonAsync()).EnumerateArray().ToList();

        var live = Assert.Single(subscriptions, s => s.GetProperty("topic").GetString() == "tasks");
        Assert.Equal("pubsub-live", live.GetProperty("pubsubName").GetString());
        Assert.Equal("api/events/tasks/live", live.GetProperty("route").GetString());
        Assert.False(live.TryGetProperty("deadLetterTopic", out var deadLetter) && deadLetter.ValueKind == JsonValueKind.String);
        // The competing users subscription stays on the main component.
        var users = Assert.Single(subscriptions, s => s.GetProperty("topic").GetString() == "users");
        Assert.Equal("pubsub", users.GetProperty("pubsubName").GetString());
    }

    [Fact]
    public async Task A_delivery_posted_as_daprd_does_reaches_the_owners_stream_only()
    {
        var (userId, _, token) = await _stack.NewUserAsync();
        var (_, _, otherToken) = await _stack.NewUserAsync();
        await using var stream = await LiveStreamClient.ConnectAsync(_stack.TasksClient, token);
        await using var other = await LiveStreamClient.ConnectAsync(_stack.TasksClient, otherToken);
        var taskId = Guid.CreateVersion7();
        var eventId = Guid.CreateVersion7();
        var data = $$$"""{"taskId":"{{{taskId}}}","userId":"{{{userId}}}","task":{"id":"{{{taskId}}}","userId":"{{{userId}}}","title":"From Dapr","description":null,"priority":"low","status":"pending","dueDate":null,"createdAt":"2026-12-07T12:00:00+00:00","updatedAt":"2026-12-07T12:00:00+00:00","completedAt":null,"version":1}}""";
        var cloudEvent = CloudEventFormatter.Format(new StoredEvent(eventId, "com.taskmanagement.task.created.v1", "/taskmanagement/tasks", taskId.ToString(), "tasks", DateTimeOffset.UtcNow, data, null, null));
        // daprd adds topic and pubsubname and posts the structured event as application/cloudevents+json.
        var body = JsonNode.Parse(cloudEvent.Body.Span)!.AsObject();
        body["topic"] = "tasks";
        body["pubsubname"] = "pubsub-live";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/tasks/live") { Content = new StringContent(body.ToJsonString()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        using var response = await _stack.TasksClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCESS", (await response.JsonAsync()).GetProperty("status").GetString());
        var message = await stream.NextAsync();
        Assert.Equal(eventId.ToString(), message.Id);
        Assert.Equal("com.taskmanagement.task.created.v1", message.Event);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(data).RootElement, JsonDocument.Parse(message.Data).RootElement), message.Data);
        Assert.True(await other.StaysQuietAsync(TimeSpan.FromMilliseconds(500)));
    }
}
