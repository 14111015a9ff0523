namespace TaskManagement.Eventing;

public sealed class DaprEventOptions
{
    /// <summary>Name of the pub/sub component (components/pubsub.yaml).</summary>
    public string PubSubName { get; set; } = "pubsub";
}
