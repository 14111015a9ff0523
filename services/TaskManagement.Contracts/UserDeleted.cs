using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.UserDeleted"/>; subject = user id.</summary>
public sealed record UserDeleted(Guid UserId, string Username, DateTimeOffset DeletedAt) : IIntegrationEvent
{
    public static string EventType => EventTypes.UserDeleted;

    public static string Topic => Topics.Users;
}
