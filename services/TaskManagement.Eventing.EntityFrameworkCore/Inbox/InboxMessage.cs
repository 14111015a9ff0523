namespace TaskManagement.Eventing.Inbox;

/// <summary>An event this service has already handled, keyed by CloudEvent id: the idempotency record.</summary>
public sealed class InboxMessage
{
    public Guid Id { get; set; }

    public required string EventId { get; set; }

    public required string Type { get; set; }

    public required string Source { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
