using System.Text.Json;

namespace TaskManagement.Eventing;

/// <summary>A CloudEvent as received from the broker or from the Dapr sidecar, transport details removed.</summary>
public sealed record ReceivedEvent(string Id, string Type, string Source, string? Subject, DateTimeOffset? Time, JsonElement Data)
{
    /// <summary>The attributes without <c>data</c>, as handlers see them beside the typed record.</summary>
    public EventEnvelope Envelope => new(Id, Type, Source, Subject, Time);
}
