using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskCreated"/>; subject = task id.</summary>
public sealed record TaskCreated(Guid TaskId, Guid UserId, TaskState Task) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.TaskCreated;

    static string IIntegrationEvent.Topic => Topics.Tasks;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
