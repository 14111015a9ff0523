using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskCompleted"/>: emitted on the transition to completed only.</summary>
public sealed record TaskCompleted(Guid TaskId, Guid UserId, DateTimeOffset CompletedAt, TaskState Task) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.TaskCompleted;

    static string IIntegrationEvent.Topic => Topics.Tasks;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
