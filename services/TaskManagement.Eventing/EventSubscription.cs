namespace TaskManagement.Eventing;

/// <summary>
/// One topic this service consumes, registered by <c>AddEventConsumer</c>. <see cref="Process"/> resolves the
/// inbox processor from the given (scoped) provider, so either transport can call it; <see cref="Park"/> stores
/// what arrives on the dead-letter topic (Dapr mode) in the consumer's <c>dead_letters</c> table.
/// </summary>
public sealed record EventSubscription(
    string Topic,
    Func<IServiceProvider, IncomingEvent, CancellationToken, Task<ConsumeOutcome>> Process,
    Func<IServiceProvider, DeadLetter, CancellationToken, Task> Park)
{
    /// <summary>Dapr subscription route; also named in docs/events.md.</summary>
    public string Route => $"/api/events/{Topic}";

    /// <summary>Topic Dapr forwards dropped (poison) deliveries to.</summary>
    public string DeadLetterTopic => $"{Topic}-deadletter";

    /// <summary>Dapr subscription route of the dead-letter topic.</summary>
    public string DeadLetterRoute => $"/api/events/{DeadLetterTopic}";

    /// <summary>The queue, as Dapr's pubsub.rabbitmq names it: <c>{consumerID}-{topic}</c>.</summary>
    public string QueueName(string consumerGroup) => $"{consumerGroup}-{Topic}";
}
