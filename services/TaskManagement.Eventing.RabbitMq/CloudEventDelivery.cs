namespace TaskManagement.Eventing.RabbitMq;

/// <summary>What the MassTransit consumer receives: any JSON body; the consumer reads the raw bytes itself.</summary>
public sealed class CloudEventDelivery;
