using System.Collections.Concurrent;
using System.Net.Mime;
using MassTransit;
using MassTransit.Serialization;

namespace TaskManagement.Eventing.RabbitMq;

/// <summary>
/// Publishes through MassTransit to the topic's fanout exchange. The body is the CloudEvent bytes as built by
/// <see cref="CloudEventFormatter"/>: a copy-body serializer replaces MassTransit's envelope, and sending to the
/// exchange address (not <c>Publish&lt;T&gt;</c>) keeps MassTransit from creating type-named exchanges.
/// </summary>
internal sealed class MassTransitEventTransport(IBus bus) : IEventTransport
{
    private static readonly ContentType CloudEventsContentType = new(CloudEventFormatter.MediaType);

    private readonly ConcurrentDictionary<string, Uri> _addresses = new(StringComparer.Ordinal);

    /// <summary>The exchange as Dapr's pubsub.rabbitmq declares it (durable, not auto-delete, fanout).</summary>
    public static Uri ExchangeAddress(string topic) =>
        new($"exchange:{Uri.EscapeDataString(topic)}?type=fanout&durable=true&autodelete=false");

    public async Task PublishAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(_addresses.GetOrAdd(outgoing.Topic, ExchangeAddress));
        var body = outgoing.Body.ToArray();
        await endpoint.Send(new OutgoingCloudEvent(outgoing.Id), context =>
        {
            context.Serializer = new CopyBodySerializer(CloudEventsContentType, new BytesMessageBody(body));
            context.Durable = true;
            context.MessageId = outgoing.Id;
        }, cancellationToken);
    }
}

/// <summary>Placeholder message type: only its send context matters, its body is the pre-built CloudEvent.</summary>
internal sealed record OutgoingCloudEvent(Guid EventId);
