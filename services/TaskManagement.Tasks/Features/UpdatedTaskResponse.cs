using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>PUT's body: the task plus the original API's <c>message</c> ("Task updated").</summary>
public sealed record UpdatedTaskResponse(
    Guid Id, string Title, string? Description, TaskItemPriority Priority, TaskItemStatus Status, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, int Version, Guid OwnerId, string Message)
    : TaskResponse(Id, Title, Description, Priority, Status, DueDate, CreatedAt, UpdatedAt, CompletedAt, Version, OwnerId)
{
    public static UpdatedTaskResponse From(TaskItem t, string message) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, t.UserId, message);
}
