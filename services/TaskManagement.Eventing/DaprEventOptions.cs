namespace TaskManagement.Eventing;

public sealed class DaprEventOptions
{
    /// <summary>Name of the pub/sub component (components/pubsub.yaml).</summary>
    public string PubSubName { get; set; } = "pubsub";

    /// <summary>
    /// The per-pod pub/sub component (components/pubsub-live.yaml, <c>consumerID: {podName}</c>) broadcast topics are
    /// subscribed on, so every pod gets every event.
    /// </summary>
    public string LivePubSubName { get; set; } = "pubsub-live";
}
