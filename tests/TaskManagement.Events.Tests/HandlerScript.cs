using MySqlConnector;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>What a test's handler does; it counts every call, across deliveries.</summary>
public sealed class HandlerScript(Func<EventEnvelope, ConsumerDbContext, CancellationToken, Task> script)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task RunAsync(EventEnvelope envelope, ConsumerDbContext db, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return script(envelope, db, cancellationToken);
    }
}
