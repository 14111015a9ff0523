namespace TaskManagement.Eventing;

public sealed class OutboxOptions
{
    /// <summary>Fallback scan interval; commits wake the relay at once, this catches rows from other replicas.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Publishes in flight at once; rows of one subject are always published one after another.</summary>
    public int MaxParallelism { get; set; } = 64;

    /// <summary>
    /// Relay loops per process, each claiming in its own transaction: while one waits for publisher confirms, the
    /// next claims the rows committed meanwhile. Per-subject order holds across loops as it does across replicas.
    /// </summary>
    public int Loops { get; set; } = 2;

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long published rows are kept (for replay) before they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);
}
