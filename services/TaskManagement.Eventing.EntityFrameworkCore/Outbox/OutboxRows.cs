using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// The relay's SQL on <c>outbox_messages</c>, as plain ADO.NET commands on the DbContext's connection: the claim needs
/// <c>FOR UPDATE SKIP LOCKED</c> and the updates touch rows EF never loaded (MySQL 8 and MariaDB 10.6+ syntax).
/// </summary>
internal static class OutboxRows
{
    /// <summary>Due unpublished rows in sequence order, locked for this transaction; rows other replicas hold are skipped.</summary>
    public static async Task<List<OutboxMessage>> ClaimAsync(DbContext db, IDbContextTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = Command(db, transaction,
            "SELECT sequence, event_id, type, source, subject, topic, occurred_at, data, trace_parent, trace_state, attempts " +
            "FROM outbox_messages WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= @now) " +
            "ORDER BY sequence LIMIT @limit FOR UPDATE SKIP LOCKED",
            ("@now", DateTime.UtcNow),
            ("@limit", batchSize));
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
    public static async Task<List<OutboxMessage>> InOrderAsync(DbContext db, IDbContextTransaction transaction, List<OutboxMessage> claimed, CancellationToken cancellationToken)
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

    public static Task MarkPublishedAsync(DbContext db, IDbContextTransaction transaction, IReadOnlyCollection<long> sequences, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync(db, transaction,
            $"UPDATE outbox_messages SET published_at = @now, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL WHERE sequence IN ({string.Join(',', sequences)})",
            cancellationToken, ("@now", now));

    public static Task MarkFailedAsync(DbContext db, IDbContextTransaction transaction, long sequence, int attempts, string error, DateTime nextAttemptAt, CancellationToken cancellationToken) =>
        ExecuteAsync(db, transaction,
            "UPDATE outbox_messages SET attempts = @attempts, last_error = @error, next_attempt_at = @next WHERE sequence = @sequence",
            cancellationToken,
            ("@attempts", attempts),
            ("@error", Truncate(error, 2000)),
            ("@next", nextAttemptAt),
            ("@sequence", sequence));

    /// <summary>How many rows wait, and when the oldest of them occurred (null when none).</summary>
    public static async Task<(long Count, DateTime? OldestUtc)> BacklogAsync(DbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(db, null, "SELECT COUNT(*), MIN(occurred_at) FROM outbox_messages WHERE published_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, null);
        }

        var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (count, reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
    }

    /// <summary>Deletes up to <paramref name="limit"/> rows published before <paramref name="cutoff"/>, oldest first.</summary>
    public static async Task<int> DeletePublishedAsync(DbContext db, DateTime cutoff, int limit, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(db, null,
            "DELETE FROM outbox_messages WHERE published_at IS NOT NULL AND published_at < @cutoff ORDER BY sequence LIMIT @limit",
            ("@cutoff", cutoff), ("@limit", limit));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbContext db, IDbContextTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(db, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbContext db, IDbContextTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
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
}
