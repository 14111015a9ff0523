using TaskManagement.ServiceDefaults.Inbox;

namespace TaskManagement.ServiceDefaults.Events;

/// <summary>
/// One topic this service consumes, registered by <c>AddEventConsumer</c>. <see cref="Process"/> resolves the
/// inbox processor from the given (scoped) provider, so either transport can call it.
/// </summary>
public sealed record EventSubscription(string Topic, Func<IServiceProvider, IncomingEvent, CancellationToken, Task<ConsumeOutcome>> Process)
{
    /// <summary>Dapr subscription route; also named in docs/events.md.</summary>
    public string Route => $"/api/events/{Topic}";

    /// <summary>Topic Dapr forwards dropped (poison) deliveries to.</summary>
    public string DeadLetterTopic => $"{Topic}-deadletter";

    /// <summary>The queue, as Dapr's pubsub.rabbitmq names it: <c>{consumerID}-{topic}</c>.</summary>
    public string QueueName(string consumerGroup) => $"{consumerGroup}-{Topic}";
}
