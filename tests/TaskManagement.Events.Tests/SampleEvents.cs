using System.Text.Json;

namespace TaskManagement.Events.Tests;

/// <summary>CloudEvents as other producers put them on the wire, for the consumer tests.</summary>
public static class SampleEvents
{
    /// <summary>
    /// The body daprd's pubsub.rabbitmq publishes (REFERENCE.md A.1.3): the app's CloudEvent plus
    /// <c>topic</c>, <c>pubsubname</c>, <c>traceid</c>, <c>traceparent</c>, <c>tracestate</c>.
    /// </summary>
    public static byte[] DaprShaped(string id, string type, string topic, string subject, object? data = null)
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var body = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = EventSources.Auth,
            ["type"] = type,
            ["subject"] = subject,
            ["time"] = "2026-01-02T03:04:05.678Z",
            ["datacontenttype"] = "application/json",
            ["data"] = data ?? new { userId = Guid.NewGuid(), username = "dapr_user", deletedAt = "2026-01-02T03:04:05.678+00:00" },
            ["topic"] = topic,
            ["pubsubname"] = "pubsub",
            ["traceid"] = traceParent,
            ["traceparent"] = traceParent,
            ["tracestate"] = "",
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
