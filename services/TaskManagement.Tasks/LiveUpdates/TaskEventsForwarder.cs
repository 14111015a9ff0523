using TaskManagement.Eventing;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>Receives every task event on this replica (the per-replica broadcast) and forwards it to its owner's streams.</summary>
public sealed class TaskEventsForwarder(LiveStreamHub hub) : IEventBroadcastHandler
{
    public Task HandleAsync(ReceivedEvent received, CancellationToken cancellationToken)
    {
        if (LiveEvent.TryFrom(received, out var userId, out var live))
        {
            hub.Forward(userId, live);
        }

        return Task.CompletedTask;
    }
}
