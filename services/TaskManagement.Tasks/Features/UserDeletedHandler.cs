using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;
using TaskManagement.ServiceDefaults.Events;
using TaskManagement.ServiceDefaults.Outbox;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// A deleted account takes its tasks with it: each is removed and announced as task.deleted
/// (reason <c>account-deleted</c>) through this service's own outbox, in the inbox transaction.
/// </summary>
public sealed class UserDeletedHandler(TasksMetrics metrics, TimeProvider clock) : IIntegrationEventHandler<TasksDbContext>
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Contracts.EventTypes.UserDeleted];

    public async Task HandleAsync(ReceivedEvent received, TasksDbContext db, CancellationToken cancellationToken)
    {
        var userId = received.Data.TryGetProperty("userId", out var id) && id.TryGetGuid(out var fromData)
            ? fromData
            : Guid.Parse(received.Subject ?? throw new InvalidOperationException("user.deleted without a user id."));

        var tasks = await db.Tasks.Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        foreach (var task in tasks)
        {
            db.Tasks.Remove(task);
            db.AddEvent(Contracts.EventTypes.TaskDeleted, EventSources.Tasks, task.Id.ToString(), new TaskDeleted(task.Id, task.UserId, "account-deleted", task.ToState()), clock);
        }

        metrics.Operation("account_deleted", tasks.Count);
    }
}
