using Microsoft.EntityFrameworkCore;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Revocation;

/// <summary>
/// Loads <c>token_revocations</c> at start, then every <see cref="RevocationOptions.RefreshInterval"/> reads the rows
/// written since the last read (by database time, with an overlap covering transactions that commit late).
/// </summary>
public sealed partial class RevocationRefresher(
    RevocationSnapshot snapshot, IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<RevocationOptions> options, TimeProvider clock, ILogger<RevocationRefresher> logger)
    : BackgroundService
{
    /// <summary>Longest token lifetime (24 h) plus clock skew: an older revocation can affect no unexpired token.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(25);

    // A row stamped at T may commit after a row stamped later was read; re-reading this far back catches it.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private DateTimeOffset? _watermark;
    private DateTimeOffset _lastFullReload;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first read runs beside the rest of start-up, off the host's start path (it builds the EF model):
        // requests wait for it and /health/ready says not ready until it is done (RevocationHealthCheck).
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, clock);
        do
        {
            try
            {
                var full = !snapshot.Loaded.IsCompleted || clock.GetUtcNow() - _lastFullReload >= options.Value.FullReloadInterval;
                await RefreshAsync(full, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is down: keep the last snapshot (requests need the database anyway).
                LogRefreshFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task RefreshAsync(bool full, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var query = db.RevokedCredentials.AsNoTracking();
        if (!full && _watermark is { } since)
        {
            var from = since - Overlap;
            query = query.Where(r => r.UpdatedAt >= from);
        }

        var rows = await query.ToListAsync(ct);
        foreach (var row in rows)
        {
            snapshot.Apply(row.UserId, row.NotBefore, row.Deleted);
            if (_watermark is null || row.UpdatedAt > _watermark)
            {
                _watermark = row.UpdatedAt;
            }
        }

        if (full)
        {
            var expired = clock.GetUtcNow() - Horizon;
            snapshot.Prune(expired);
            await db.RevokedCredentials.Where(r => r.NotBefore < expired).ExecuteDeleteAsync(ct);
            _lastFullReload = clock.GetUtcNow();
            snapshot.MarkLoaded();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the token revocation snapshot failed; keeping the last one")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
