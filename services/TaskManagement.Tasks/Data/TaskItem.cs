using System.Text.Json;
using TaskManagement.Contracts;

namespace TaskManagement.Tasks.Data;

/// <summary>One user's task. <see cref="Version"/> is the optimistic-concurrency token exposed as the ETag.</summary>
public sealed class TaskItem
{
    /// <summary>The column's size and the API's limit (after trimming).</summary>
    public const int TitleMaxLength = 200;

    public const int DescriptionMaxLength = 2000;

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

    /// <summary>A new task of <paramref name="userId"/>; the fields are already validated, the texts are normalised here.</summary>
    public static TaskItem Create(
        Guid userId, string title, string? description, TaskItemPriority? priority, TaskItemStatus? status, DateOnly? dueDate, DateTimeOffset now)
    {
        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Title = NormalizeTitle(title),
            Description = NormalizeDescription(description),
            Priority = priority ?? TaskItemPriority.Medium,
            DueDate = dueDate,
            CreatedAt = now,
            UpdatedAt = now,
        };
        task.ChangeStatus(status ?? TaskItemStatus.Pending, now);
        return task;
    }

    /// <summary>A title is stored trimmed.</summary>
    public static string NormalizeTitle(string title) => title.Trim();

    /// <summary>A description is stored trimmed; an empty one is none.</summary>
    public static string? NormalizeDescription(string? description) =>
        description?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>
    /// Applies <paramref name="change"/>; when anything changed, bumps the version and <see cref="UpdatedAt"/>.
    /// The result names the changed fields as the API spells them, and says whether this completed the task.
    /// </summary>
    public TaskUpdate Update(TaskChange change, DateTimeOffset now)
    {
        var changed = new List<string>();
        void Set<T>(bool sets, T value, T current, Action<T> assign, string field)
        {
            if (sets && !EqualityComparer<T>.Default.Equals(value, current))
            {
                assign(value);
                changed.Add(JsonNamingPolicy.CamelCase.ConvertName(field));
            }
        }

        Set(change.Title is not null, change.Title!, Title, v => Title = v, nameof(Title));
        Set(change.SetsDescription, change.Description, Description, v => Description = v, nameof(Description));
        Set(change.Priority.HasValue, change.Priority.GetValueOrDefault(), Priority, v => Priority = v, nameof(Priority));
        Set(change.SetsDueDate, change.DueDate, DueDate, v => DueDate = v, nameof(DueDate));
        var completed = false;
        Set(change.Status.HasValue, change.Status.GetValueOrDefault(), Status, v => completed = ChangeStatus(v, now), nameof(Status));
        if (changed.Count > 0)
        {
            Version++;
            UpdatedAt = now;
        }

        return new TaskUpdate(changed, completed);
    }

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
