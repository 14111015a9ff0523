using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace TaskManagement.ServiceDefaults.Events;

/// <summary>Which adapter carries events between the outbox/inbox and the broker.</summary>
public enum EventTransportKind
{
    /// <summary>Nothing is published or consumed; rows wait in the outbox (tests, tools).</summary>
    None,

    /// <summary>RabbitMQ directly through MassTransit (no sidecar: local runs, CI).</summary>
    RabbitMq,

    /// <summary>Dapr pub/sub through the sidecar's HTTP API and subscription endpoints.</summary>
    Dapr,
}

/// <summary>The <c>Events</c> configuration section (documented in docs/events.md).</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary><c>auto</c> (default), <c>rabbitmq</c>, <c>dapr</c> or <c>none</c>.</summary>
    public string Transport { get; set; } = "auto";

    /// <summary>Consumer group: names the queue <c>{ConsumerGroup}-{topic}</c>, as Dapr's consumerID does.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Upper bound for one publish (broker confirm or sidecar answer) before the row is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public RabbitMqEventOptions RabbitMq { get; set; } = new();

    public DaprEventOptions Dapr { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public ConsumerOptions Consumer { get; set; } = new();

    /// <summary>Resolves <c>auto</c>: Dapr when a sidecar address is configured, RabbitMQ otherwise.</summary>
    public static EventTransportKind ResolveTransport(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Transport)}"] ?? "auto";
        return value.Trim().ToUpperInvariant() switch
        {
            "AUTO" or "" => HasSidecar(configuration) ? EventTransportKind.Dapr : EventTransportKind.RabbitMq,
            "RABBITMQ" => EventTransportKind.RabbitMq,
            "DAPR" => EventTransportKind.Dapr,
            "NONE" => EventTransportKind.None,
            _ => throw new InvalidOperationException($"Events:Transport must be auto, rabbitmq, dapr or none, not '{value}'."),
        };
    }

    /// <summary>daprd injects DAPR_HTTP_PORT into the app's environment; DAPR_HTTP_ENDPOINT names a remote sidecar.</summary>
    public static bool HasSidecar(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["DAPR_HTTP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(configuration["DAPR_HTTP_PORT"]);

    /// <summary>
    /// The consumer group: <c>Events:ConsumerGroup</c>, else Dapr's <c>APP_ID</c>, else the last segment of the
    /// application name in lower case (<c>TaskManagement.Tasks</c> → <c>tasks</c>), the app id the manifests use.
    /// </summary>
    public string ResolveConsumerGroup(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(ConsumerGroup))
        {
            return ConsumerGroup;
        }

        if (configuration["APP_ID"] is { Length: > 0 } appId)
        {
            return appId;
        }

        var name = environment.ApplicationName;
        return name[(name.LastIndexOf('.') + 1)..].ToLowerInvariant();
    }
}

public sealed class RabbitMqEventOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 5672;

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    public string VirtualHost { get; set; } = "/";
}

public sealed class DaprEventOptions
{
    /// <summary>Name of the pub/sub component (components/pubsub.yaml).</summary>
    public string PubSubName { get; set; } = "pubsub";
}

public sealed class OutboxOptions
{
    /// <summary>Fallback scan interval; commits wake the relay at once, this catches rows from other replicas.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Publishes in flight at once; rows of one subject are always published one after another.</summary>
    public int MaxParallelism { get; set; } = 16;

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long published rows are kept (for replay) before they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);
}

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
