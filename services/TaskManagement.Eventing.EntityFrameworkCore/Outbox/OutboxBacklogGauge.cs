using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Feeds <c>taskmanagement.outbox.backlog</c> and <c>.oldest_age</c>: counts unpublished rows at most once per poll
/// interval. The relay calls it after its rounds, so the gauge shows the backlog as the relay left it; a count taken
/// while another relay loop was still draining is taken again as soon as no loop drains.
/// </summary>
internal sealed class OutboxBacklogGauge<TDbContext>(IServiceScopeFactory scopes, EventMetrics metrics, OutboxOptions options)
    where TDbContext : DbContext, IOutboxDbContext
{
    private readonly DueSchedule _schedule = new(options.PollInterval);
    private bool _takenWhileDraining;

    /// <summary>Measures when due, or when <paramref name="settled"/> (no relay loop drains) after a count taken mid-drain.</summary>
    public async Task MeasureWhenDueAsync(bool settled, CancellationToken cancellationToken)
    {
        if (!_schedule.TryStart(out _) && !(settled && _takenWhileDraining))
        {
            return;
        }

        _takenWhileDraining = !settled;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var (count, oldest) = await OutboxRows.BacklogAsync(db, cancellationToken);
        metrics.SetBacklog(count, oldest is null ? TimeSpan.Zero : DateTime.UtcNow - oldest.Value);
    }
}
