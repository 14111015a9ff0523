namespace TaskManagement.Eventing;

/// <summary>
/// A message Dapr gave up on (dropped as malformed, or failing after its retries) and forwarded to the
/// topic's dead-letter topic. Kept in the consumer's own database so it is never lost, whatever the
/// broker does with an unbound dead-letter exchange; inspect and replay by hand.
/// </summary>
public sealed class DeadLetter
{
    public Guid Id { get; set; }

    /// <summary>The topic the message was meant for (not the dead-letter topic).</summary>
    public required string Topic { get; set; }

    /// <summary>The CloudEvent id when the body was one.</summary>
    public string? EventId { get; set; }

    /// <summary>The message exactly as it was published (UTF-8 text, or base64 when it is not text).</summary>
    public required string Body { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
