namespace TaskManagement.Eventing;

/// <summary>
/// The publishing seam: hands one already-formatted CloudEvent to the broker (MassTransit → RabbitMQ) or to
/// the Dapr sidecar, and returns only once it was accepted (publisher confirm / sidecar 2xx). Throws otherwise;
/// the outbox relay records the error and retries.
/// </summary>
public interface IEventTransport
{
    Task PublishAsync(OutgoingEvent outgoing, CancellationToken cancellationToken);
}
