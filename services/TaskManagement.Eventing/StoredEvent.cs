namespace TaskManagement.Eventing;

/// <summary>
/// Every CloudEvent attribute of an event waiting to be published, as the outbox keeps it: enough to build the
/// wire message without knowing the domain.
/// </summary>
public sealed record StoredEvent(
    Guid EventId,
    string Type,
    string Source,
    string Subject,
    string Topic,
    DateTimeOffset OccurredAt,
    string Data,
    string? TraceParent,
    string? TraceState);
