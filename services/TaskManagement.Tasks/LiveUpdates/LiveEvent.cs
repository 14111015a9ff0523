using TaskManagement.Contracts;
using TaskManagement.Eventing;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>One server-sent event: the CloudEvent's id, type and <c>data</c> (one line of JSON, as on the broker).</summary>
public sealed record LiveEvent(string Id, string Type, string Data)
{
    /// <summary>Not an event: the watchdog's request to write a <c>: heartbeat</c> comment.</summary>
    public static readonly LiveEvent Heartbeat = new(string.Empty, string.Empty, string.Empty);

    private static readonly HashSet<string> TaskTypes =
        [EventTypes.TaskCreated, EventTypes.TaskUpdated, EventTypes.TaskCompleted, EventTypes.TaskDeleted];

    /// <summary>A task event and its owner (<c>data.userId</c>); false for anything else.</summary>
    public static bool TryFrom(ReceivedEvent received, out Guid userId, out LiveEvent live)
    {
        userId = Guid.Empty;
        live = Heartbeat;
        if (!TaskTypes.Contains(received.Type)
            || received.Data.ValueKind != System.Text.Json.JsonValueKind.Object
            || !received.Data.TryGetProperty("userId", out var owner)
            || !owner.TryGetGuid(out userId))
        {
            return false;
        }

        live = new LiveEvent(received.Id, received.Type, received.Data.GetRawText());
        return true;
    }
}
