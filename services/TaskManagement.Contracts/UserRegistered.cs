using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.UserRegistered"/>; subject = user id.</summary>
public sealed record UserRegistered(Guid UserId, string Username, DateTimeOffset RegisteredAt) : IIntegrationEvent
{
    public static string EventType => EventTypes.UserRegistered;

    public static string Topic => Topics.Users;
}
