using System.Security.Claims;
using System.Text.Json.Serialization;
using TaskManagement.ServiceDefaults.Security;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>A task as the API returns it.</summary>
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
    int Version)
{
    public static TaskResponse From(TaskItem t) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version);
}

/// <summary>POST's body: the task plus <c>message</c> and <c>taskId</c>, which the original API's clients read.</summary>
public sealed record CreatedTaskResponse(
    Guid Id, string Title, string? Description, TaskItemPriority Priority, TaskItemStatus Status, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, int Version, string Message, Guid TaskId)
    : TaskResponse(Id, Title, Description, Priority, Status, DueDate, CreatedAt, UpdatedAt, CompletedAt, Version)
{
    public static CreatedTaskResponse From(TaskItem t, string message) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, message, t.Id);
}

public sealed record CreateTaskRequest(string? Title, string? Description, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate);

/// <summary>PUT replaces every field: title, priority and status are required; description and dueDate may be null.</summary>
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
