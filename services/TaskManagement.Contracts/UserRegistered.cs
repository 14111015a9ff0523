using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.UserRegistered"/>; subject = user id.</summary>
public sealed record UserRegistered(Guid UserId, string Username, DateTimeOffset RegisteredAt) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.UserRegistered;

    static string IIntegrationEvent.Topic => Topics.Users;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
