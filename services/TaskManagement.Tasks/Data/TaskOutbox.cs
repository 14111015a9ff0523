using TaskManagement.Contracts;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Tasks.Data;

/// <summary>
/// The one place that decides which events a task change makes, staged in the outbox of the DbContext the change is
/// saved with (so both commit together). Used by the endpoints and by the user-deleted handler alike.
/// </summary>
public static class TaskOutbox
{
    /// <summary>task.deleted's reason when the owner deleted the task.</summary>
    public const string DeletedByUser = "user";

    /// <summary>task.deleted's reason when the owner's account was deleted.</summary>
    public const string DeletedWithAccount = "account-deleted";

    /// <summary>Adds a new task: task.created, and task.completed when it is created completed.</summary>
    public static void AddTask(this TasksDbContext db, TaskItem task, TimeProvider clock)
    {
        db.Tasks.Add(task);
        var state = task.ToState();
        db.AddEvent(task.Id, new TaskCreated(task.Id, task.UserId, state), clock);
        if (task.CompletedAt is { } completedAt)
        {
            db.AddEvent(task.Id, new TaskCompleted(task.Id, task.UserId, completedAt, state), clock);
        }
    }

    /// <summary>Applies a change (<see cref="TaskItem.Update"/>); when anything changed, task.updated, and task.completed on that transition.</summary>
    public static TaskUpdate UpdateTask(this TasksDbContext db, TaskItem task, TaskChange change, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var update = task.Update(change, now);
        if (update.Changed)
        {
            var state = task.ToState();
            db.AddEvent(task.Id, new TaskUpdated(task.Id, task.UserId, update.ChangedFields, state), clock);
            if (update.Completed)
            {
                db.AddEvent(task.Id, new TaskCompleted(task.Id, task.UserId, now, state), clock);
            }
        }

        return update;
    }

    /// <summary>Removes a task: task.deleted with its last state and the <paramref name="reason"/>.</summary>
    public static void RemoveTask(this TasksDbContext db, TaskItem task, string reason, TimeProvider clock)
    {
        db.Tasks.Remove(task);
        db.AddEvent(task.Id, new TaskDeleted(task.Id, task.UserId, reason, task.ToState()), clock);
    }
}
