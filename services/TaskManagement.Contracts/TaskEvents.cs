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

/// <summary><c>data</c> of <see cref="EventTypes.TaskCreated"/>; subject = task id.</summary>
public sealed record TaskCreated(Guid TaskId, Guid UserId, TaskState Task);

/// <summary><c>data</c> of <see cref="EventTypes.TaskUpdated"/>; <paramref name="ChangedFields"/> uses the API's JSON names.</summary>
public sealed record TaskUpdated(Guid TaskId, Guid UserId, IReadOnlyList<string> ChangedFields, TaskState Task);

/// <summary><c>data</c> of <see cref="EventTypes.TaskCompleted"/>: emitted on the transition to completed only.</summary>
public sealed record TaskCompleted(Guid TaskId, Guid UserId, DateTimeOffset CompletedAt, TaskState Task);

/// <summary><c>data</c> of <see cref="EventTypes.TaskDeleted"/>; <paramref name="Reason"/> is <c>user</c> or <c>account-deleted</c>.</summary>
public sealed record TaskDeleted(Guid TaskId, Guid UserId, string Reason, TaskState Task);
