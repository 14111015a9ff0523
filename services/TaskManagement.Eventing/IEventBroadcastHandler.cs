namespace TaskManagement.Eventing;

/// <summary>
/// Receives every event of a broadcast topic on every replica (<see cref="EventBroadcastRegistration.AddEventBroadcast{THandler}"/>),
/// with no inbox and no retry: for live, best-effort work such as forwarding to connected clients. It is a singleton;
/// an exception is logged and the event dropped (a client that missed it catches up by replay).
/// </summary>
public interface IEventBroadcastHandler
{
    Task HandleAsync(ReceivedEvent received, CancellationToken cancellationToken);
}
