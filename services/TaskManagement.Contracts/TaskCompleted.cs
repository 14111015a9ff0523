using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskCompleted"/>: emitted on the transition to completed only.</summary>
public sealed record TaskCompleted(Guid TaskId, Guid UserId, DateTimeOffset CompletedAt, TaskState Task) : IIntegrationEvent
{
    public static string EventType => EventTypes.TaskCompleted;

    public static string Topic => Topics.Tasks;
}
