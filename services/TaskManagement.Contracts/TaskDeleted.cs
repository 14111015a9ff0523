using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskDeleted"/>; <paramref name="Reason"/> is <c>user</c> or <c>account-deleted</c>.</summary>
public sealed record TaskDeleted(Guid TaskId, Guid UserId, string Reason, TaskState Task) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.TaskDeleted;

    static string IIntegrationEvent.Topic => Topics.Tasks;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
