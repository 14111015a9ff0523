using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace TaskManagement.Eventing;

/// <summary>The <c>Events</c> configuration section (documented in docs/events.md).</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary><c>auto</c> (default), <c>rabbitmq</c>, <c>dapr</c> or <c>none</c>.</summary>
    public string Transport { get; set; } = "auto";

    /// <summary>Consumer group: names the queue <c>{ConsumerGroup}-{topic}</c>, as Dapr's consumerID does.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>
    /// Names this replica's broadcast queue; default <c>POD_NAME</c>, else <c>HOSTNAME</c>, else the machine name. A random
    /// suffix per host is always added, so two processes on one machine never share (and compete on) one queue.
    /// </summary>
    public string? InstanceName { get; set; }

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

    /// <summary>The instance part of a broadcast queue name: lower-case letters, digits and '-', plus a random suffix.</summary>
    public string ResolveInstanceName(IConfiguration configuration)
    {
        var name = new[] { InstanceName, configuration["POD_NAME"], configuration["HOSTNAME"], Environment.MachineName }
            .First(n => !string.IsNullOrWhiteSpace(n))!;
        var clean = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        var suffix = Guid.NewGuid().ToString("N")[..8];
        return clean.Length == 0 ? suffix : $"{(clean.Length > 60 ? clean[..60] : clean)}-{suffix}";
    }

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
