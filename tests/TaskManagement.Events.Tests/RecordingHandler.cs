using System.Collections.Concurrent;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Test handler for the user events: records each one as a row. Subjects starting with <c>fail-</c> make it
/// throw (a transient failure); data that is not an object does not read as the record (malformed).
/// </summary>
public sealed class RecordingHandler(ConsumerDbContext db) : IIntegrationEventHandler<UserRegistered>, IIntegrationEventHandler<UserDeleted>
{
    /// <summary>Calls per event id, across retries.</summary>
    public static ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

    public Task HandleAsync(UserRegistered data, EventEnvelope envelope, CancellationToken cancellationToken) => Record(envelope);

    public Task HandleAsync(UserDeleted data, EventEnvelope envelope, CancellationToken cancellationToken) => Record(envelope);

    private Task Record(EventEnvelope envelope)
    {
        Attempts.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
        if (envelope.Subject?.StartsWith("fail-", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("Simulated handler failure.");
        }

        db.HandledEvents.Add(new HandledEvent { EventId = envelope.Id, Type = envelope.Type, Subject = envelope.Subject });
        return Task.CompletedTask;
    }
}
