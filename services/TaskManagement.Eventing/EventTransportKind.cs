namespace TaskManagement.Eventing;

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
