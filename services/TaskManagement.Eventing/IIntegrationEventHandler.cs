namespace TaskManagement.Eventing;

/// <summary>
/// Reacts to one event type, receiving its <c>data</c> as the contract record. A class may implement it for
/// several events of one topic. The transport adapters (MassTransit consumer, Dapr subscription) call it inside
/// one database transaction together with the inbox row, so a redelivered event has no second effect; the
/// handler takes the service's DbContext from its constructor (the same scoped instance as the inbox), and
/// whatever it stages there (including outbox events) is saved by the caller. Throwing means "retry later";
/// a <see cref="System.Text.Json.JsonException"/> means the data does not match the contract (dead-lettered).
/// </summary>
/// <typeparam name="TEvent">The contract record; its <see cref="IIntegrationEvent.EventType"/> selects the handler.</typeparam>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent data, EventEnvelope envelope, CancellationToken cancellationToken);
}
