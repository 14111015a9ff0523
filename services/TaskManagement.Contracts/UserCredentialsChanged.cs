using TaskManagement.Eventing;

namespace TaskManagement.Contracts;

/// <summary>
/// <c>data</c> of <see cref="EventTypes.UserCredentialsChanged"/> (password changed); subject = user id.
/// Every token of the user with <c>iat</c> before <paramref name="NotBefore"/> is revoked. <paramref name="NotBefore"/> is
/// a whole second after <paramref name="ChangedAt"/> (tokens carry whole-second <c>iat</c>); tokens issued from then
/// on carry <c>iat</c> ≥ <paramref name="NotBefore"/>.
/// </summary>
public sealed record UserCredentialsChanged(Guid UserId, DateTimeOffset ChangedAt, DateTimeOffset NotBefore) : IIntegrationEvent, IPartitionedEvent
{
    static string IIntegrationEvent.EventType => EventTypes.UserCredentialsChanged;

    static string IIntegrationEvent.Topic => Topics.Users;

    string IPartitionedEvent.PartitionKey => UserId.ToString();
}
