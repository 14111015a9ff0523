using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.TaskDeleted"/>; <paramref name="Reason"/> is <c>user</c> or <c>account-deleted</c>.</summary>
public sealed record TaskDeleted(Guid TaskId, Guid UserId, string Reason, TaskState Task) : IIntegrationEvent
{
    public static string EventType => EventTypes.TaskDeleted;

    public static string Topic => Topics.Tasks;
}
