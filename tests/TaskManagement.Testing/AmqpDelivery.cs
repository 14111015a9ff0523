using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RabbitMQ.Client;

namespace TaskManagement.Testing;

/// <summary>One message as a plain AMQP subscriber sees it.</summary>
public sealed record AmqpDelivery(string Exchange, byte[] Body, IReadOnlyBasicProperties Properties, DateTimeOffset ReceivedAt)
{
    private static readonly JsonEventFormatter Formatter = new();

    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The body parsed by the CloudNative.CloudEvents SDK (structured mode); throws if it is not a CloudEvent.</summary>
    public CloudEvent CloudEvent => Formatter.DecodeStructuredModeMessage(Body, new ContentType("application/cloudevents+json"),
        [CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String)]);

    /// <summary>The CloudEvent <c>id</c>, read without validation (for counting).</summary>
    public string? EventId => Json.TryGetProperty("id", out var id) ? id.GetString() : null;
}
