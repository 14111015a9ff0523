using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.UserDeleted"/>; subject = user id.</summary>
public sealed record UserDeleted(Guid UserId, string Username, DateTimeOffset DeletedAt) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.UserDeleted;

    static string IIntegrationEvent.Topic => Topics.Users;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
