namespace TaskManagement.Eventing;

/// <summary>
/// An event that belongs to one partition (for the task and user events: the user). The outbox stores the key in its
/// own indexed column, so a replay of one partition's events (the live stream's <c>Last-Event-ID</c>) reads an index,
/// not every row's <c>data</c>. Implement it explicitly: the key stays off the record's <c>data</c> schema.
/// </summary>
public interface IPartitionedEvent
{
    string PartitionKey { get; }
}
