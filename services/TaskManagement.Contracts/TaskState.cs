namespace TaskManagement.Contracts;

/// <summary>A task's state as carried in task events (after the change).</summary>
public sealed record TaskState(
    Guid Id,
    Guid UserId,
    string Title,
    string? Description,
    string Priority,
    string Status,
    DateOnly? DueDate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    int Version);
