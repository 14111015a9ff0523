using System.Diagnostics.Metrics;

namespace TaskManagement.Tasks;

/// <summary>The Task service's own metrics (meter <c>TaskManagement.Tasks</c>).</summary>
public sealed class TasksMetrics
{
    public const string MeterName = "TaskManagement.Tasks";

    private readonly Counter<long> _operations;
    private readonly Histogram<double> _listDuration;

    public TasksMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _operations = meter.CreateCounter<long>("taskmanagement.tasks.operations", description: "Task changes by operation.");
        _listDuration = meter.CreateHistogram<double>("taskmanagement.tasks.list.duration", unit: "s", description: "Time to answer a task list query.");
    }

    /// <summary>operation: create, update, complete, delete, account_deleted (a toggle counts as update or complete).</summary>
    public void Operation(string operation, int count = 1) => _operations.Add(count, new KeyValuePair<string, object?>("operation", operation));

    public void ListQuery(TimeSpan elapsed) => _listDuration.Record(elapsed.TotalSeconds);
}
