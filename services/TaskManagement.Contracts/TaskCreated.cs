using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskCreated"/>; subject = task id.</summary>
public sealed record TaskCreated(Guid TaskId, Guid UserId, TaskState Task) : IIntegrationEvent
{
    public static string EventType => EventTypes.TaskCreated;

    public static string Topic => Topics.Tasks;
}
