using TaskManagement.Contracts;

namespace TaskManagement.Tasks.Data;

/// <summary>Stored as its rank, so sorting by priority is sorting by importance.</summary>
public enum TaskItemPriority
{
    Low = 1,
    Medium = 2,
    High = 3,
}

public enum TaskItemStatus
{
    Pending,
    InProgress,
    Completed,
}

/// <summary>One user's task. <see cref="Version"/> is the optimistic-concurrency token exposed as the ETag.</summary>
public sealed class TaskItem
{
    public Guid Id { get; set; }

    /// <summary>The owner (the token's <c>sub</c>); no foreign key: the Auth database is another service's.</summary>
    public Guid UserId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public TaskItemPriority Priority { get; set; } = TaskItemPriority.Medium;

    public TaskItemStatus Status { get; set; } = TaskItemStatus.Pending;

    public DateOnly? DueDate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int Version { get; set; } = 1;

    /// <summary>Sets the status and keeps <see cref="CompletedAt"/> in step; true when this completes the task.</summary>
    public bool ChangeStatus(TaskItemStatus status, DateTimeOffset now)
    {
        var completes = status == TaskItemStatus.Completed && Status != TaskItemStatus.Completed;
        if (status != TaskItemStatus.Completed)
        {
            CompletedAt = null;
        }
        else if (completes)
        {
            CompletedAt = now;
        }

        Status = status;
        return completes;
    }

    /// <summary>The task's state as carried in events.</summary>
    public TaskState ToState() => new(
        Id, UserId, Title, Description, Wire.Of(Priority), Wire.Of(Status), DueDate, CreatedAt, UpdatedAt, CompletedAt, Version);
}

/// <summary>The API's and the events' spelling of the enums (snake_case, lower-case).</summary>
public static class Wire
{
    public static string Of(TaskItemPriority priority) => priority switch
    {
        TaskItemPriority.Low => "low",
        TaskItemPriority.Medium => "medium",
        _ => "high",
    };

    public static string Of(TaskItemStatus status) => status switch
    {
        TaskItemStatus.Pending => "pending",
        TaskItemStatus.InProgress => "in_progress",
        _ => "completed",
    };

    public static bool TryParse(string? value, out TaskItemStatus status)
    {
        (var ok, status) = value switch
        {
            "pending" => (true, TaskItemStatus.Pending),
            "in_progress" => (true, TaskItemStatus.InProgress),
            "completed" => (true, TaskItemStatus.Completed),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParse(string? value, out TaskItemPriority priority)
    {
        (var ok, priority) = value switch
        {
            "low" => (true, TaskItemPriority.Low),
            "medium" => (true, TaskItemPriority.Medium),
            "high" => (true, TaskItemPriority.High),
            _ => (false, default),
        };
        return ok;
    }
}
