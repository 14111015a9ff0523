using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskManagement.ServiceDefaults.Events;

namespace TaskManagement.ServiceDefaults.Outbox;

/// <summary>
/// Publishes outbox rows and marks them published. Each round claims a batch in sequence order with
/// <c>FOR UPDATE SKIP LOCKED</c> (MySQL 8 and MariaDB 10.6+), so replicas share the work without publishing a
/// row twice. Order per aggregate: a claimed row is held back while an earlier unpublished row of its subject
/// exists that this round did not claim (another replica holds it — claims interleave, so it can sit between
/// two claimed rows — or it waits for a retry); rows of one subject are published one after another,
/// different subjects in parallel. A failed row keeps
/// <c>attempts</c>, <c>last_error</c> and an exponential <c>next_attempt_at</c>; it is never given up.
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
    private const int PruneChunk = 5000;

    private readonly EventsOptions _options = options.Value;
    private int _consecutiveFailures;
    private DateTime _nextPruneUtc = DateTime.MinValue;
    private DateTime _nextBacklogUtc = DateTime.MinValue;

    /// <summary>Completes one relay round on demand (tests, tools); the background loop does the same.</summary>
    public async Task<RelayRound> RelayOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        // READ COMMITTED: no gap locks, so the scan never blocks the application's inserts of new rows.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var claimed = await ClaimAsync(db, transaction, cancellationToken);
        if (claimed.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RelayRound(0, 0, 0, 0);
        }

        var ready = await InOrderAsync(db, transaction, claimed, cancellationToken);
        var outcomes = await PublishAsync(ready, cancellationToken);

        var published = outcomes.Where(o => o.Error is null).Select(o => o.Message.Sequence).ToList();
        var now = DateTime.UtcNow;
        if (published.Count > 0)
        {
            await ExecuteAsync(db, transaction,
                $"UPDATE outbox_messages SET published_at = @now, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL WHERE sequence IN ({string.Join(',', published)})",
                cancellationToken, ("@now", now));
        }

        foreach (var failed in outcomes.Where(o => o.Error is not null))
        {
            var attempts = failed.Message.Attempts + 1;
            await ExecuteAsync(db, transaction,
                "UPDATE outbox_messages SET attempts = @attempts, last_error = @error, next_attempt_at = @next WHERE sequence = @sequence",
                cancellationToken,
                ("@attempts", attempts),
                ("@error", Truncate(failed.Error!, 2000)),
                ("@next", now + Backoff(attempts)),
                ("@sequence", failed.Message.Sequence));
        }

        await transaction.CommitAsync(cancellationToken);
        return new RelayRound(claimed.Count, published.Count, outcomes.Count - published.Count, claimed.Count - ready.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarted(logger, typeof(TDbContext).Name, _options.Outbox.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = TimeSpan.Zero;
            try
            {
                RelayRound round;
                do
                {
                    round = await RelayOnceAsync(stoppingToken);
                }
                while (round.Failed == 0 && round.Published > 0 && round.Claimed >= _options.Outbox.BatchSize && !stoppingToken.IsCancellationRequested);

                _consecutiveFailures = round.Failed > 0 ? _consecutiveFailures + 1 : 0;
                if (_consecutiveFailures > 0)
                {
                    // The broker is likely down: back off instead of timing out on every new row's signal.
                    pause = Backoff(_consecutiveFailures);
                }

                await MaintainAsync(stoppingToken);
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
                    await signal.WaitAsync(_options.Outbox.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<List<OutboxMessage>> ClaimAsync(TDbContext db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(db, transaction,
            "SELECT sequence, event_id, type, source, subject, topic, occurred_at, data, trace_parent, trace_state, attempts " +
            "FROM outbox_messages WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= @now) " +
            "ORDER BY sequence LIMIT @limit FOR UPDATE SKIP LOCKED",
            ("@now", DateTime.UtcNow),
            ("@limit", _options.Outbox.BatchSize));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxMessage
            {
                Sequence = reader.GetInt64(0),
                EventId = reader.GetGuid(1),
                Type = reader.GetString(2),
                Source = reader.GetString(3),
                Subject = reader.GetString(4),
                Topic = reader.GetString(5),
                OccurredAt = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)),
                Data = reader.GetString(7),
                TraceParent = reader.IsDBNull(8) ? null : reader.GetString(8),
                TraceState = reader.IsDBNull(9) ? null : reader.GetString(9),
                Attempts = reader.GetInt32(10),
            });
        }

        return rows;
    }

    /// <summary>
    /// The claimed rows that can go out now without overtaking another row of their subject: per subject, the
    /// claimed rows up to the first unpublished row this round did not claim (another replica holds it, or it
    /// waits for a retry). Concurrent claims interleave, so such a row can sit before or between claimed ones.
    /// </summary>
    private static async Task<List<OutboxMessage>> InOrderAsync(TDbContext db, IDbContextTransaction transaction, List<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        var subjects = claimed.Select(m => m.Subject).Distinct(StringComparer.Ordinal).ToList();
        var parameters = subjects.Select((s, i) => ($"@s{i}", (object?)s)).ToList();
        parameters.Add(("@max", claimed[^1].Sequence));
        await using var command = Command(db, transaction,
            "SELECT subject, sequence FROM outbox_messages WHERE published_at IS NULL AND sequence <= @max " +
            $"AND subject IN ({string.Join(',', parameters.SkipLast(1).Select(p => p.Item1))}) ORDER BY sequence",
            [.. parameters]);
        var claimedBySequence = claimed.ToDictionary(m => m.Sequence);
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        var ready = new List<OutboxMessage>(claimed.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var subject = reader.GetString(0);
            if (stopped.Contains(subject))
            {
                continue;
            }

            if (claimedBySequence.TryGetValue(reader.GetInt64(1), out var message))
            {
                ready.Add(message);
            }
            else
            {
                stopped.Add(subject);
            }
        }

        return ready;
    }

    private async Task<List<PublishOutcome>> PublishAsync(List<OutboxMessage> ready, CancellationToken cancellationToken)
    {
        var outcomes = new List<PublishOutcome>(ready.Count);
        var groups = ready.GroupBy(m => m.Subject, StringComparer.Ordinal).Select(g => g.ToList());
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Outbox.MaxParallelism), CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                foreach (var message in group)
                {
                    var error = await PublishOneAsync(message, ct);
                    lock (outcomes)
                    {
                        outcomes.Add(new PublishOutcome(message, error));
                    }

                    if (error is not null)
                    {
                        return; // later rows of this subject must wait for this one
                    }
                }
            });
        return outcomes;
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
            await transport.PublishAsync(CloudEventFormatter.Format(message), timeout.Token);
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

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        if (now >= _nextBacklogUtc)
        {
            _nextBacklogUtc = now + _options.Outbox.PollInterval;
            await UpdateBacklogAsync(cancellationToken);
        }

        if (now >= _nextPruneUtc)
        {
            _nextPruneUtc = now + _options.Outbox.PruneInterval;
            await PruneAsync(now - _options.Outbox.Retention, cancellationToken);
        }
    }

    private async Task UpdateBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(db, null, "SELECT COUNT(*), MIN(occurred_at) FROM outbox_messages WHERE published_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            var oldest = reader.IsDBNull(1) ? (DateTime?)null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc);
            metrics.SetBacklog(count, oldest is null ? TimeSpan.Zero : DateTime.UtcNow - oldest.Value);
        }
    }

    private async Task PruneAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        int deleted;
        do
        {
            // Chunks keep each delete's locks and undo log small.
            await using var command = Command(db, null,
                "DELETE FROM outbox_messages WHERE published_at IS NOT NULL AND published_at < @cutoff ORDER BY sequence LIMIT @limit",
                ("@cutoff", cutoff), ("@limit", PruneChunk));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            if (deleted > 0)
            {
                metrics.Pruned(deleted);
                LogPruned(logger, deleted, cutoff);
            }
        }
        while (deleted == PruneChunk);
    }

    private TimeSpan Backoff(int attempts)
    {
        var initial = _options.Outbox.InitialBackoff;
        var max = _options.Outbox.MaxBackoff;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(initial.TotalMilliseconds * factor, max.TotalMilliseconds));
    }

    private static async Task ExecuteAsync(TDbContext db, IDbContextTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(db, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(TDbContext db, IDbContextTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record PublishOutcome(OutboxMessage Message, string? Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay for {Context} started (poll interval {PollInterval})")]
    private static partial void LogStarted(ILogger logger, string context, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing event {EventId} ({Type}) failed on attempt {Attempt}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string type, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} published outbox rows older than {Cutoff:o}")]
    private static partial void LogPruned(ILogger logger, int count, DateTime cutoff);
}

/// <summary>What one relay round did: rows claimed, published, failed, and held back to keep per-subject order.</summary>
public sealed record RelayRound(int Claimed, int Published, int Failed, int HeldBack);
