using System.Security.Claims;
using System.Text.Json.Serialization;
using TaskManagement.ServiceDefaults.Security;
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

/// <summary>POST's body: the task plus <c>message</c> and <c>taskId</c>, which the original API's clients read.</summary>
public sealed record CreatedTaskResponse(
    Guid Id, string Title, string? Description, TaskItemPriority Priority, TaskItemStatus Status, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, int Version, Guid OwnerId, string Message, Guid TaskId)
    : TaskResponse(Id, Title, Description, Priority, Status, DueDate, CreatedAt, UpdatedAt, CompletedAt, Version, OwnerId)
{
    public static CreatedTaskResponse From(TaskItem t, string message) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, t.UserId, message, t.Id);
}

/// <summary>PUT's body: the task plus the original API's <c>message</c> ("Task updated").</summary>
public sealed record UpdatedTaskResponse(
    Guid Id, string Title, string? Description, TaskItemPriority Priority, TaskItemStatus Status, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, int Version, Guid OwnerId, string Message)
    : TaskResponse(Id, Title, Description, Priority, Status, DueDate, CreatedAt, UpdatedAt, CompletedAt, Version, OwnerId)
{
    public static UpdatedTaskResponse From(TaskItem t, string message) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, t.UserId, message);
}

public sealed record CreateTaskRequest(string? Title, string? Description, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate);

/// <summary>
/// PUT's body as documented: title required; an absent priority, status, description or dueDate keeps the current
/// value (the original API's rule), null clears description and dueDate. Read by <see cref="TaskChange"/>, which sees presence.
/// </summary>
public sealed record ReplaceTaskRequest(string? Title, string? Description, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate);

public sealed record StatusToggleResponse(string Message, TaskItemStatus Status);

/// <summary>Keyed by the status values themselves, so a client can index it with a task's status.</summary>
public sealed record StatusCounts(
    [property: JsonPropertyName("pending")] int Pending,
    [property: JsonPropertyName("in_progress")] int InProgress,
    [property: JsonPropertyName("completed")] int Completed);

public sealed record PriorityCounts(int Low, int Medium, int High);

public sealed record TaskSummaryResponse(int Total, StatusCounts ByStatus, PriorityCounts ByPriority, int Overdue, double CompletionRate);

internal static class Caller
{
    /// <summary>
    /// The signed-in user's id from the token's <c>sub</c>. Bearer validation (<see cref="CallerValidation"/>) already
    /// refused any token without one (401), so a failure here is a wiring bug, not client input.
    /// </summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        CallerValidation.TryGetUserId(principal.FindFirstValue("sub"), out var id) ? id : throw new InvalidOperationException("An authenticated principal without a usable sub claim.");
}
