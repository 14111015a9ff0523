namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// An event waiting to be published, written in the same transaction as the change it describes.
/// Holds every CloudEvent attribute, so the relay can publish it without knowing the domain.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Insertion order; the relay publishes in this order.</summary>
    public long Sequence { get; set; }

    /// <summary>CloudEvent <c>id</c>: unique, and the same on every redelivery.</summary>
    public Guid EventId { get; set; }

    public required string Type { get; set; }

    public required string Source { get; set; }

    public required string Subject { get; set; }

    public required string Topic { get; set; }

    /// <summary>The event's partition (<see cref="IPartitionedEvent"/>: the user), so one user's events can be replayed by index.</summary>
    public string? PartitionKey { get; set; }

    /// <summary>CloudEvent <c>time</c>.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>CloudEvent <c>data</c> as JSON.</summary>
    public required string Data { get; set; }

    /// <summary>W3C trace context of the request that caused the event.</summary>
    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The CloudEvent attributes the formatter needs.</summary>
    public StoredEvent ToStoredEvent() =>
        new(EventId, Type, Source, Subject, Topic, OccurredAt, Data, TraceParent, TraceState);
}
