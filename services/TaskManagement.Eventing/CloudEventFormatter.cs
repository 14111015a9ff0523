using System.Net.Mime;
using System.Text.Encodings.Web;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace TaskManagement.Eventing;

/// <summary>
/// The one place that writes and reads the wire format: CloudEvents 1.0 structured JSON through the
/// CloudNative SDK, so attribute names, <c>data</c> handling and validation follow the spec, not us.
/// </summary>
public static class CloudEventFormatter
{
    /// <summary>The structured-mode media type (no charset parameter: JSON is UTF-8 by definition).</summary>
    public const string MediaType = "application/cloudevents+json";

    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    // Relaxed escaping: the body is JSON for machines, not HTML, so "+" in offsets stays "+" rather than \u002B.
    private static readonly JsonEventFormatter Formatter = new(
        new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
        new JsonDocumentOptions());

    private static readonly CloudEventAttribute[] Extensions =
    [
        CloudEventAttribute.CreateExtension(TraceParent, CloudEventAttributeType.String),
        CloudEventAttribute.CreateExtension(TraceState, CloudEventAttributeType.String),
    ];

    public static OutgoingEvent Format(StoredEvent message)
    {
        if (string.IsNullOrEmpty(message.Source))
        {
            // The outbox stamps the source registered with AddEventPublishing; a row without one is a wiring error.
            throw new InvalidOperationException($"Event {message.EventId} ({message.Type}) has no source: stage events only on a DbContext registered with AddEventPublishing.");
        }

        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, Extensions)
        {
            Id = message.EventId.ToString(),
            Source = new Uri(message.Source, UriKind.RelativeOrAbsolute),
            Type = message.Type,
            Subject = message.Subject,
            Time = message.OccurredAt,
            DataContentType = MediaTypeNames.Application.Json,
            // Parsed so the formatter embeds the object itself under "data", not a JSON string.
            Data = JsonSerializer.Deserialize<JsonElement>(message.Data),
        };
        if (!string.IsNullOrEmpty(message.TraceParent))
        {
            cloudEvent[TraceParent] = message.TraceParent;
        }

        if (!string.IsNullOrEmpty(message.TraceState))
        {
            cloudEvent[TraceState] = message.TraceState;
        }

        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        return new OutgoingEvent(message.Topic, message.EventId, message.Type, message.Subject, body);
    }

    /// <summary>
    /// Parses a structured-mode CloudEvent whatever the transport's content type claims (Dapr publishes
    /// <c>text/plain</c>). Throws <see cref="MalformedEventException"/> when the body is not one.
    /// </summary>
    public static IncomingEvent Parse(ReadOnlyMemory<byte> body)
    {
        var cloudEvent = Decode(body);
        return new IncomingEvent(ToReceived(cloudEvent), cloudEvent[TraceParent] as string, cloudEvent[TraceState] as string);
    }

    /// <summary>The SDK's CloudEvent with <c>traceparent</c>/<c>tracestate</c> known as string extensions.</summary>
    public static CloudEvent Decode(ReadOnlyMemory<byte> body)
    {
        try
        {
            return Formatter.DecodeStructuredModeMessage(body, new ContentType(MediaType), Extensions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new MalformedEventException("The message is not a structured-mode CloudEvent: " + ex.Message, ex);
        }
    }

    private static ReceivedEvent ToReceived(CloudEvent cloudEvent)
    {
        // The SDK validates the required attributes; these guards keep the compiler and the inbox honest.
        if (string.IsNullOrEmpty(cloudEvent.Id) || string.IsNullOrEmpty(cloudEvent.Type) || cloudEvent.Source is null)
        {
            throw new MalformedEventException("The CloudEvent lacks id, type or source.");
        }

        var data = cloudEvent.Data switch
        {
            JsonElement element => element.Clone(),
            null => JsonSerializer.SerializeToElement<object?>(null),
            string text => JsonSerializer.SerializeToElement(text),
            byte[] bytes => JsonSerializer.SerializeToElement(Convert.ToBase64String(bytes)),
            var other => JsonSerializer.SerializeToElement(other, other.GetType()),
        };
        return new ReceivedEvent(cloudEvent.Id, cloudEvent.Type, cloudEvent.Source.OriginalString, cloudEvent.Subject, cloudEvent.Time, data);
    }
}
