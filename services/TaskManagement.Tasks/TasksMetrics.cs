using System.Diagnostics.Metrics;

namespace TaskManagement.Tasks;

/// <summary>The Task service's own metrics (meter <c>TaskManagement.Tasks</c>).</summary>
public sealed class TasksMetrics
{
    public const string MeterName = "TaskManagement.Tasks";

    private readonly Counter<long> _operations;
    private readonly Histogram<double> _listDuration;
    private readonly UpDownCounter<long> _openStreams;
    private readonly Counter<long> _closedStreams;
    private readonly Counter<long> _forwarded;
    private readonly Counter<long> _replays;
    private readonly Counter<long> _dropped;

    public TasksMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _operations = meter.CreateCounter<long>("taskmanagement.tasks.operations", description: "Task changes by operation.");
        _listDuration = meter.CreateHistogram<double>("taskmanagement.tasks.list.duration", unit: "s", description: "Time to answer a task list query.");
        _openStreams = meter.CreateUpDownCounter<long>("taskmanagement.live.streams", "{stream}", "Open live-update streams on this replica.");
        _closedStreams = meter.CreateCounter<long>("taskmanagement.live.streams_closed", "{stream}", "Live-update streams ended, by reason.");
        _forwarded = meter.CreateCounter<long>("taskmanagement.live.events_forwarded", "{event}", "Task events handed to live-update streams.");
        _replays = meter.CreateCounter<long>("taskmanagement.live.replays", "{replay}", "Last-Event-ID reconnections, by outcome (replayed or reset).");
        _dropped = meter.CreateCounter<long>("taskmanagement.live.dropped_slow_clients", "{stream}", "Streams closed because the client read too slowly (buffer full).");
    }

    /// <summary>operation: create, update, complete, delete, account_deleted (a toggle counts as update or complete).</summary>
    public void Operation(string operation, int count = 1) => _operations.Add(count, new KeyValuePair<string, object?>("operation", operation));

    public void ListQuery(TimeSpan elapsed) => _listDuration.Record(elapsed.TotalSeconds);

    public void StreamOpened() => _openStreams.Add(1);

    public void StreamClosed(LiveUpdates.LiveStreamEnd reason)
    {
        _openStreams.Add(-1);
        _closedStreams.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString().ToLowerInvariant()));
    }

    public void EventForwarded() => _forwarded.Add(1);

    public void Replayed(string outcome) => _replays.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void SlowClientDropped() => _dropped.Add(1);
}
