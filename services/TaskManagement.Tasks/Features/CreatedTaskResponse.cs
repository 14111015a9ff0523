using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>POST's body: the task plus <c>message</c> and <c>taskId</c>, which the original API's clients read.</summary>
public sealed record CreatedTaskResponse(
    Guid Id, string Title, string? Description, TaskItemPriority Priority, TaskItemStatus Status, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, int Version, Guid OwnerId, string Message, Guid TaskId)
    : TaskResponse(Id, Title, Description, Priority, Status, DueDate, CreatedAt, UpdatedAt, CompletedAt, Version, OwnerId)
{
    public static CreatedTaskResponse From(TaskItem t, string message) =>
        new(t.Id, t.Title, t.Description, t.Priority, t.Status, t.DueDate, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.Version, t.UserId, message, t.Id);
}
