using System.Collections.Concurrent;
using System.Diagnostics;

namespace TaskManagement.Events.Tests;

/// <summary>
/// The statements a service sends to one test database, as MySqlConnector reports them through its
/// <c>ActivitySource</c>: what the relay's background loop does and when (its claims, the gauge's count, the
/// pruner's deletes), observed without touching its code. Other tests' databases are filtered out by name.
/// </summary>
public sealed class SqlRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<SqlStatement> _statements = new();

    public SqlRecorder(TestDatabase db)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "MySqlConnector",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Tag(activity, "db.namespace", "db.name") == db.Name && Tag(activity, "db.query.text", "db.statement") is { } text)
                {
                    _statements.Enqueue(new SqlStatement(
                        text, Tag(activity, "db.mysql.connection_id", "db.connection_id") ?? "", activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The relay's claim of a batch: one per relay round.</summary>
    public IReadOnlyList<SqlStatement> Claims => Starting("SELECT sequence, event_id");

    /// <summary>The backlog gauge's count of unpublished rows.</summary>
    public IReadOnlyList<SqlStatement> BacklogCounts => Starting("SELECT COUNT(*), MIN(occurred_at) FROM outbox_messages");

    /// <summary>The pruner's deletes of published rows.</summary>
    public IReadOnlyList<SqlStatement> Prunes => Starting("DELETE FROM outbox_messages WHERE published_at IS NOT NULL");

    /// <summary>A round's record of the rows it published.</summary>
    public IReadOnlyList<SqlStatement> MarksPublished => Starting("UPDATE outbox_messages SET published_at");

    public IReadOnlyList<SqlStatement> Starting(string prefix) =>
        _statements.Where(s => s.Text.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(s => s.Started).ToList();

    public void Dispose() => _listener.Dispose();

    private static string? Tag(Activity activity, string name, string olderName) =>
        activity.GetTagItem(name)?.ToString() ?? activity.GetTagItem(olderName)?.ToString();
}

/// <summary>One statement: its text, the server connection it ran on, and when.</summary>
public sealed record SqlStatement(string Text, string ConnectionId, DateTime Started, DateTime Ended);
