using System.Text.Json.Serialization;

namespace TaskManagement.Bench.Baseline;

/// <summary>The same JSON members as the Tasks API's TaskResponse, enums already in their wire spelling.</summary>
public sealed record BareTask(
    Guid Id,
    string Title,
    string? Description,
    string Priority,
    string Status,
    DateOnly? DueDate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    int Version,
    [property: JsonPropertyName("user_id")] Guid OwnerId)
{
    [JsonPropertyName("created_at")]
    public DateTimeOffset OriginalCreatedAt => CreatedAt;

    [JsonPropertyName("updated_at")]
    public DateTimeOffset OriginalUpdatedAt => UpdatedAt;
}
