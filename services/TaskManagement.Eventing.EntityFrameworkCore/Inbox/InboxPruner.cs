using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskManagement.Eventing;

namespace TaskManagement.Eventing.Inbox;

/// <summary>
/// Deletes inbox rows older than <c>Events:Consumer:InboxRetention</c>. A redelivery arrives within
/// minutes (broker requeue, Dapr retries) or after an outbox replay; the retention only has to outlast
/// those, and without pruning the table would grow with every event ever consumed.
/// </summary>
internal sealed partial class InboxPruner<TDbContext>(
    IServiceScopeFactory scopes, IOptions<EventsOptions> options, TimeProvider clock, ILogger<InboxPruner<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext, IInboxDbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumer = options.Value.Consumer;
        using var timer = new PeriodicTimer(consumer.InboxPruneInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                var cutoff = clock.GetUtcNow() - consumer.InboxRetention;
                var deleted = await db.InboxMessages.Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted, cutoff);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be down; the next tick tries again.
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} inbox rows processed before {Cutoff}")]
    private static partial void LogPruned(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox pruning failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
