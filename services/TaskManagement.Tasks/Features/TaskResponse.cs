using System.Text.Json.Serialization;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// A task as the API returns it. <c>created_at</c>, <c>updated_at</c> and <c>user_id</c> repeat members in the
/// original API's spelling, which its UI reads (cards show <c>created_at</c>).
/// </summary>
public record TaskResponse(
    Guid Id,
    string Title,
    string? Description,
    TaskItemPriority Priority,
    TaskItemStatus Status,
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

    public static TaskResponse From(TaskItem t) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, t.UserId);
}
