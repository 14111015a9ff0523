using System.Text;

namespace TaskManagement.Events.Tests;

/// <summary>
/// The MassTransit consumer (no sidecar) against the real broker: messages shaped as Dapr publishes them,
/// redeliveries, unknown types, malformed bodies and failing handlers. Each test has its own topic exchange
/// and queue, so nothing interferes with other suites on the shared broker.
/// </summary>
public sealed class RabbitMqConsumerTests : IAsyncLifetime
{
    private const string Group = "evtest";
    private readonly string _topic = TestTopic.NewName();
    private TestDatabase _db = null!;
    private ConsumerHost _host = null!;

    private string Queue => $"{Group}-{_topic}";

    private string ErrorQueue => Queue + "_error";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("evc");
        var settings = AmqpEventListener.ServiceSettings();
        settings["Events:ConsumerGroup"] = Group;
        settings["Events:Consumer:RetryLimit"] = "2";
        settings["Events:Consumer:RetryMinInterval"] = "00:00:00.050";
        settings["Events:Consumer:RetryMaxInterval"] = "00:00:00.200";
        _host = await ConsumerHost.StartAsync(_db, _topic, settings);
        await WaitForQueueAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
        await AmqpEventListener.DeleteAsync([Queue, ErrorQueue, Queue + "_skipped"], [_topic, Queue, ErrorQueue, Queue + "_skipped"]);
    }

    [Fact]
    public async Task Dapr_shaped_message_is_consumed_and_redeliveries_have_no_second_effect()
    {
        var id = Guid.NewGuid().ToString();
        var body = SampleEvents.DaprShaped(id, EventTypes.UserDeleted, _topic, Guid.NewGuid().ToString());

        // Dapr's pubsub.rabbitmq sends content-type text/plain; the consumer must not rely on it.
        await AmqpEventListener.PublishAsync(_topic, body, "text/plain");
        var effect = Assert.Single(await _host.WaitForEffectAsync(id));
        Assert.Equal(EventTypes.UserDeleted, effect.Type);

        // Redeliveries, some concurrent: the inbox keeps the effect single.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => AmqpEventListener.PublishAsync(_topic, body, "text/plain")));
        await SettleBehindMarkerAsync(EventTypes.UserDeleted, "application/cloudevents+json");

        Assert.Single(await _host.EffectsAsync(id));
        Assert.Equal(1, await _host.InboxCountAsync(id));
        Assert.Equal(0u, await AmqpEventListener.QueueDepthAsync(ErrorQueue) ?? 0u);
    }

    [Fact]
    public async Task Unknown_types_are_acknowledged_and_ignored()
    {
        var id = Guid.NewGuid().ToString();
        await AmqpEventListener.PublishAsync(_topic, SampleEvents.DaprShaped(id, "com.example.something.else.v1", _topic, "x"), "text/plain");
        await SettleBehindMarkerAsync(EventTypes.UserRegistered, "text/plain");

        Assert.Empty(await _host.EffectsAsync(id));
        Assert.Equal(0, await _host.InboxCountAsync(id));
        Assert.Equal(0u, await AmqpEventListener.QueueDepthAsync(ErrorQueue) ?? 0u);
    }

    [Fact]
    public async Task Malformed_messages_go_to_the_dead_letter_queue_and_the_queue_keeps_flowing()
    {
        var notJson = Encoding.UTF8.GetBytes("this is not json {");
        var noId = Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","source":"/x","type":"{{EventTypes.UserDeleted}}","data":{} }""");
        var badData = SampleEvents.DaprShaped(Guid.NewGuid().ToString(), EventTypes.UserDeleted, _topic, "bad-data", data: "not an object");
        await AmqpEventListener.PublishAsync(_topic, notJson, "text/plain");
        await AmqpEventListener.PublishAsync(_topic, noId, "application/cloudevents+json");
        await AmqpEventListener.PublishAsync(_topic, badData, "text/plain");

        // A good message behind the bad ones is still handled.
        await PublishMarkerAndWaitForItsEffectAsync(EventTypes.UserDeleted, "text/plain");

        var deadLetters = await WaitForDeadLettersAsync(3);
        Assert.Equal(3, deadLetters.Count);
        Assert.Contains(deadLetters, d => d.Body.SequenceEqual(notJson));
        Assert.Contains(deadLetters, d => d.Body.SequenceEqual(noId));
        Assert.Contains(deadLetters, d => d.Body.SequenceEqual(badData));
    }

    [Fact]
    public async Task A_failing_handler_is_retried_to_the_limit_then_dead_lettered()
    {
        var id = Guid.NewGuid().ToString();
        var body = SampleEvents.DaprShaped(id, EventTypes.UserDeleted, _topic, "fail-always");
        await AmqpEventListener.PublishAsync(_topic, body, "text/plain");
        await PublishMarkerAndWaitForItsEffectAsync(EventTypes.UserDeleted, "text/plain");

        var deadLetter = Assert.Single(await WaitForDeadLettersAsync(1));
        Assert.True(deadLetter.Body.SequenceEqual(body));
        Assert.Equal(3, RecordingHandler.Attempts[id]); // first delivery + RetryLimit (2) retries
        Assert.Empty(await _host.EffectsAsync(id));
        Assert.Equal(0, await _host.InboxCountAsync(id));
    }

    /// <summary>
    /// Publishes a well-formed event behind what the test sent and asserts it is handled exactly once: the consumer
    /// got past the earlier messages and keeps flowing.
    /// </summary>
    private async Task PublishMarkerAndWaitForItsEffectAsync(string type, string contentType)
    {
        var marker = Guid.NewGuid().ToString();
        await AmqpEventListener.PublishAsync(_topic, SampleEvents.DaprShaped(marker, type, _topic, "marker"), contentType);
        Assert.Single(await _host.WaitForEffectAsync(marker));
    }

    /// <summary>Waits until everything published so far has been consumed: a marker handled, then the queue drained.</summary>
    private async Task SettleBehindMarkerAsync(string type, string contentType)
    {
        await PublishMarkerAndWaitForItsEffectAsync(type, contentType);
        await WaitForDrainAsync();
    }

    private async Task WaitForQueueAsync()
    {
        for (var i = 0; i < 100 && await AmqpEventListener.QueueDepthAsync(Queue) is null; i++)
        {
            await Task.Delay(100);
        }

        // MassTransit declares the queue before it binds it to the topic exchange; give the binding a moment.
        await Task.Delay(300);
    }

    private async Task WaitForDrainAsync()
    {
        for (var i = 0; i < 50 && await AmqpEventListener.QueueDepthAsync(Queue) is > 0; i++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(300);
    }

    private async Task<List<AmqpDelivery>> WaitForDeadLettersAsync(int count)
    {
        for (var i = 0; i < 100 && (await AmqpEventListener.QueueDepthAsync(ErrorQueue) ?? 0) < count; i++)
        {
            await Task.Delay(100);
        }

        return await AmqpEventListener.GetAsync(ErrorQueue);
    }
}
