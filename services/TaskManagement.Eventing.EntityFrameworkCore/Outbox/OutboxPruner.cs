using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Deletes published rows older than <c>Events:Outbox:Retention</c> (kept until then for replay), at most once per
/// <c>PruneInterval</c>. The relay calls it between rounds, so one loop owns the table's housekeeping.
/// </summary>
internal sealed partial class OutboxPruner<TDbContext>(IServiceScopeFactory scopes, EventMetrics metrics, OutboxOptions options, ILogger logger)
    where TDbContext : DbContext, IOutboxDbContext
{
    // Chunks keep each delete's locks and undo log small.
    private const int Chunk = 5000;

    private readonly DueSchedule _schedule = new(options.PruneInterval);

    public async Task PruneWhenDueAsync(CancellationToken cancellationToken)
    {
        if (!_schedule.TryStart(out var now))
        {
            return;
        }

        var cutoff = now - options.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        int deleted;
        do
        {
            deleted = await OutboxRows.DeletePublishedAsync(db, cutoff, Chunk, cancellationToken);
            if (deleted > 0)
            {
                metrics.Pruned(deleted);
                LogPruned(logger, deleted, cutoff);
            }
        }
        while (deleted == Chunk);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} published outbox rows older than {Cutoff:o}")]
    private static partial void LogPruned(ILogger logger, int count, DateTime cutoff);
}
