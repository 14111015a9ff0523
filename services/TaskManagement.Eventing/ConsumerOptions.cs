namespace TaskManagement.Eventing;

public sealed class ConsumerOptions
{
    /// <summary>How long consumed event ids are remembered for deduplication.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan InboxPruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Redeliveries after a handler failure before the message is dead-lettered (RabbitMQ mode).</summary>
    public int RetryLimit { get; set; } = 5;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int PrefetchCount { get; set; } = 32;

    public int ConcurrentMessageLimit { get; set; } = 8;
}
