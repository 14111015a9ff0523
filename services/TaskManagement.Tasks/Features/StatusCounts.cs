using System.Text.Json.Serialization;

namespace TaskManagement.Tasks.Features;

/// <summary>Keyed by the status values themselves, so a client can index it with a task's status.</summary>
public sealed record StatusCounts(
    [property: JsonPropertyName("pending")] int Pending,
    [property: JsonPropertyName("in_progress")] int InProgress,
    [property: JsonPropertyName("completed")] int Completed);
