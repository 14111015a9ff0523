using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskManagement.Contracts;
using TaskManagement.Eventing;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>
/// Reads a user's task events after <c>Last-Event-ID</c> from this service's outbox (published rows are kept for
/// <c>Events:Outbox:Retention</c>), by the <c>(partition_key, sequence)</c> index, in sequence order.
/// </summary>
public sealed class LiveReplay(IServiceScopeFactory scopes, IOptions<LiveUpdatesOptions> options)
{
    /// <summary>The events after <paramref name="lastEventId"/>, or null (send <c>reset</c>) when that id is unknown,
    /// not the user's, pruned, or followed by more than <see cref="LiveUpdatesOptions.ReplayLimit"/> events.</summary>
    public async Task<IReadOnlyList<LiveEvent>?> AfterAsync(Guid userId, string lastEventId, CancellationToken ct)
    {
        if (!Guid.TryParse(lastEventId, out var eventId))
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var partition = userId.ToString();
        var from = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.EventId == eventId && m.PartitionKey == partition)
            .Select(m => (long?)m.Sequence)
            .FirstOrDefaultAsync(ct);
        if (from is null)
        {
            return null;
        }

        var limit = options.Value.ReplayLimit;
        var rows = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.PartitionKey == partition && m.Topic == Topics.Tasks && m.Sequence > from)
            .OrderBy(m => m.Sequence)
            .Take(limit + 1)
            .ToListAsync(ct);
        if (rows.Count > limit)
        {
            return null;
        }

        // Through the same formatter as the relay, so a replayed data line is byte for byte the one the broker carried.
        var events = new List<LiveEvent>(rows.Count);
        foreach (var row in rows)
        {
            var received = CloudEventFormatter.Parse(CloudEventFormatter.Format(row.ToStoredEvent()).Body).Event;
            if (LiveEvent.TryFrom(received, out _, out var live))
            {
                events.Add(live);
            }
        }

        return events;
    }
}
