using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Publishes outbox rows and marks them published. Each round claims a batch in sequence order with
/// <c>FOR UPDATE SKIP LOCKED</c> (MySQL 8 and MariaDB 10.6+), so replicas share the work without publishing a
/// row twice. Order per aggregate: a claimed row is held back while an earlier unpublished row of its subject
/// exists that this round did not claim (another replica holds it — claims interleave, so it can sit between
/// two claimed rows — or it waits for a retry); rows of one subject are published one after another,
/// different subjects in parallel. A failed row keeps
/// <c>attempts</c>, <c>last_error</c> and an exponential <c>next_attempt_at</c>; it is never given up.
/// A process runs <c>Events:Outbox:Loops</c> such loops, which share the work as replicas do.
/// The SQL is in <see cref="OutboxRows"/>; between rounds the first loop lets <see cref="OutboxBacklogGauge{TDbContext}"/>
/// measure and <see cref="OutboxPruner{TDbContext}"/> prune.
/// </summary>
internal sealed partial class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopes,
    IEventTransport transport,
    OutboxSignal signal,
    EventMetrics metrics,
    PublishStatus status,
    IOptions<EventsOptions> options,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext, IOutboxDbContext
{
    private readonly EventsOptions _options = options.Value;
    private readonly OutboxBacklogGauge<TDbContext> _backlog = new(scopes, metrics, options.Value.Outbox);
    private readonly OutboxPruner<TDbContext> _pruner = new(scopes, metrics, options.Value.Outbox, logger);
    private readonly SemaphoreSlim _housekeeping = new(1, 1);
    private int _heldBack; // 1 when a round held rows back since the last wake-up (WakeHeldBackRows)
    private int _draining; // loops inside a drain (back-to-back rounds)
    private int _publishingRounds; // rounds that published, counted once committed (WakeHeldBackRows)
    private int _housekeepingWanted; // 1 when a loop asked for housekeeping that has not run since

    /// <summary>
    /// One round: claim, keep per-subject order, publish, record the outcome. The background loop repeats it; the
    /// event tests call it directly to drive one round at a time.
    /// </summary>
    public async Task<RelayRound> RelayOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        // READ COMMITTED: no gap locks, so the scan never blocks the application's inserts of new rows.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var claimed = await OutboxRows.ClaimAsync(db, transaction, _options.Outbox.BatchSize, cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RelayRound(0, 0, 0, 0);
        }

        var ready = await OutboxRows.InOrderAsync(db, transaction, claimed, cancellationToken);
        if (ready.Count < claimed.Count)
        {
            Volatile.Write(ref _heldBack, 1); // see WakeHeldBackRows
        }

        var outcomes = await PublishAsync(ready, cancellationToken);

        var published = outcomes.Where(o => o.Error is null).Select(o => o.Message.Sequence).ToList();
        var now = DateTime.UtcNow;
        if (published.Count > 0)
        {
            await OutboxRows.MarkPublishedAsync(db, transaction, published, now, cancellationToken);
        }

        foreach (var failed in outcomes.Where(o => o.Error is not null))
        {
            var attempts = failed.Message.Attempts + 1;
            await OutboxRows.MarkFailedAsync(db, transaction, failed.Message.Sequence, attempts, failed.Error!, now + Backoff(attempts), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RelayRound(claimed.Count, published.Count, outcomes.Count - published.Count, claimed.Count - ready.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var loops = Math.Max(1, _options.Outbox.Loops);
        LogStarted(logger, typeof(TDbContext).Name, loops, _options.Outbox.PollInterval);
        // Several loops, each with its own claim transaction, so rows committed while one loop waits for the broker
        // are claimed by the next at once instead of after that whole round.
        await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => RunLoopAsync(stoppingToken)));
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var consecutiveFailures = 0;
        var heldBackChecks = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = TimeSpan.Zero;
            var wait = _options.Outbox.PollInterval;
            var publishedBefore = Volatile.Read(ref _publishingRounds);
            try
            {
                RelayRound round;
                Interlocked.Increment(ref _draining);
                try
                {
                    do
                    {
                        round = await RelayOnceAsync(stoppingToken);
                        WakeHeldBackRows(round);
                    }
                    while (round.Failed == 0 && round.Published > 0 && round.Claimed >= _options.Outbox.BatchSize && !stoppingToken.IsCancellationRequested);
                }
                finally
                {
                    Interlocked.Decrement(ref _draining);
                }

                consecutiveFailures = round.Failed > 0 ? consecutiveFailures + 1 : 0;
                // Rows held back behind another replica's claim or a failed row waiting for its retry are looked at
                // again soon, and less often the longer that lasts: no wake-up comes from another process.
                heldBackChecks = round.HeldBack > 0 ? heldBackChecks + 1 : 0;
                if (heldBackChecks > 0)
                {
                    // A round that published since this drain began may have freed these rows, and its wake-up may
                    // have come before they were held back: look again at once rather than after the re-check delay.
                    wait = Volatile.Read(ref _publishingRounds) != publishedBefore
                        ? TimeSpan.Zero
                        : TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 25 * Math.Pow(2, Math.Min(heldBackChecks, 20))));
                }
                if (consecutiveFailures > 0)
                {
                    // The broker is likely down: back off instead of timing out on every new row's signal.
                    pause = Backoff(consecutiveFailures);
                }

                await HousekeepingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Database unreachable or similar: keep the loop alive, rows stay in the outbox.
                LogRoundFailed(logger, ex);
                pause = _options.Outbox.PollInterval;
            }

            try
            {
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, stoppingToken);
                }
                else
                {
                    await signal.WaitAsync(wait, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Between drains, one loop at a time lets the gauge measure and the pruner prune when due. "Settled" (no loop is
    /// draining) lets the gauge correct a count it took in the middle of another loop's drain. A loop that finds
    /// another at it does not wait (that could be a long prune): it leaves its request, and the other runs once more
    /// when done, so a drain that ended meanwhile is not left with a mid-drain count until the next poll.
    /// </summary>
    private async Task HousekeepingAsync(CancellationToken stoppingToken)
    {
        Volatile.Write(ref _housekeepingWanted, 1);
        while (Volatile.Read(ref _housekeepingWanted) == 1 && await _housekeeping.WaitAsync(0, stoppingToken))
        {
            try
            {
                Volatile.Write(ref _housekeepingWanted, 0);
                await _backlog.MeasureWhenDueAsync(settled: Volatile.Read(ref _draining) == 0, stoppingToken);
                await _pruner.PruneWhenDueAsync(stoppingToken);
            }
            finally
            {
                _housekeeping.Release();
            }
        }
    }

    /// <summary>
    /// A round that held rows back may have waited for a row another loop of this process was publishing: once a
    /// round publishes, a loop is woken to claim them again now rather than at the next poll. Rows held back behind
    /// a failed row or another replica's claim are claimed once more and wait again; nothing spins, because only a
    /// round that published wakes. A hold-back noted just after this check is not lost: the holding loop sees the
    /// count of publishing rounds move (RunLoopAsync).
    /// </summary>
    private void WakeHeldBackRows(RelayRound round)
    {
        if (round.Published == 0)
        {
            return;
        }

        Interlocked.Increment(ref _publishingRounds); // before the check below: see RunLoopAsync
        if (Interlocked.Exchange(ref _heldBack, 0) == 1)
        {
            signal.Notify();
        }
    }

    private async Task<List<PublishOutcome>> PublishAsync(List<OutboxMessage> ready, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(Math.Max(1, _options.Outbox.MaxParallelism));
        // Each subject's rows one after another, up to MaxParallelism publishes in flight. Every subject is started
        // here, on this thread, so the first rows of all subjects reach the broker back to back: started as separate
        // thread-pool work items (Parallel.ForEachAsync) each waited behind the requests under load.
        var bySubject = await Task.WhenAll(ready.GroupBy(m => m.Subject, StringComparer.Ordinal).Select(PublishSubjectAsync));
        return [.. bySubject.SelectMany(outcomes => outcomes)];

        async Task<List<PublishOutcome>> PublishSubjectAsync(IEnumerable<OutboxMessage> rows)
        {
            var outcomes = new List<PublishOutcome>();
            foreach (var message in rows)
            {
                await window.WaitAsync(cancellationToken);
                string? error;
                try
                {
                    error = await PublishOneAsync(message, cancellationToken);
                }
                finally
                {
                    window.Release();
                }

                outcomes.Add(new PublishOutcome(message, error));
                if (error is not null)
                {
                    break; // later rows of this subject must wait for this one
                }
            }

            return outcomes;
        }
    }

    private async Task<string?> PublishOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(message.TraceParent, message.TraceState, out var parent);
        using var activity = EventMetrics.ActivitySource.StartActivity($"{message.Topic} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.destination.name", message.Topic);
        activity?.SetTag("messaging.message.id", message.EventId.ToString());
        activity?.SetTag("cloudevents.event_type", message.Type);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await transport.PublishAsync(CloudEventFormatter.Format(message.ToStoredEvent()), timeout.Token);
            metrics.Published(message.Type);
            status.Succeeded();
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Any transport failure is retried later; the row and its error stay in the database.
            metrics.PublishFailed(message.Type);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var error = ex is OperationCanceledException ? $"Publish timed out after {_options.PublishTimeout.TotalSeconds:0.#}s" : $"{ex.GetType().Name}: {ex.Message}";
            status.Failed(error);
            LogPublishFailed(logger, message.EventId, message.Type, message.Attempts + 1, error);
            return error;
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var initial = _options.Outbox.InitialBackoff;
        var max = _options.Outbox.MaxBackoff;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(initial.TotalMilliseconds * factor, max.TotalMilliseconds));
    }

    private sealed record PublishOutcome(OutboxMessage Message, string? Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay for {Context} started ({Loops} loops, poll interval {PollInterval})")]
    private static partial void LogStarted(ILogger logger, string context, int loops, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing event {EventId} ({Type}) failed on attempt {Attempt}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string type, int attempt, string error);
}
