namespace TaskManagement.Eventing;

/// <summary>
/// A topic every replica receives in full (fan-out per replica, not competing consumers), registered by
/// <c>AddEventBroadcast</c>. RabbitMQ mode: an auto-delete queue of this replica's own; Dapr mode: a subscription on the
/// per-pod pub/sub component (<c>consumerID: {podName}</c>).
/// </summary>
public sealed record EventBroadcast(string Topic, Func<IServiceProvider, ReceivedEvent, CancellationToken, Task> Deliver)
{
    /// <summary>Dapr subscription route of the per-pod component.</summary>
    public string Route => $"/api/events/{Topic}/live";

    /// <summary>This replica's queue in RabbitMQ mode: <c>{group}-{topic}-live-{instance}</c>.</summary>
    public string QueueName(string consumerGroup, string instance) => $"{consumerGroup}-{Topic}-live-{instance}";
}
