using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskUpdated"/>; <paramref name="ChangedFields"/> uses the API's JSON names.</summary>
public sealed record TaskUpdated(Guid TaskId, Guid UserId, IReadOnlyList<string> ChangedFields, TaskState Task) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.TaskUpdated;

    static string IIntegrationEvent.Topic => Topics.Tasks;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
