using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;
using TaskManagement.ServiceDefaults.Events;
using TaskManagement.ServiceDefaults.Outbox;
using TaskManagement.Tasks.Data;
using TaskManagement.Tasks.Revocation;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// The <c>users</c> topic, in the inbox transaction:
/// <list type="bullet">
/// <item>user.deleted: every token of the user is revoked, and the account's tasks go with it — each removed and
/// announced as task.deleted (reason <c>account-deleted</c>) through this service's own outbox;</item>
/// <item>user.credentials_changed: tokens issued before the change's not-before are revoked.</item>
/// </list>
/// The revocation row is what every replica reads; this replica's snapshot is tightened at once as well
/// (before the commit: the event is Auth's committed fact, and applying it twice changes nothing).
/// </summary>
public sealed class UserEventsHandler(TasksMetrics metrics, RevocationSnapshot revocations, TimeProvider clock) : IIntegrationEventHandler<TasksDbContext>
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Contracts.EventTypes.UserDeleted, Contracts.EventTypes.UserCredentialsChanged];

    public async Task HandleAsync(ReceivedEvent received, TasksDbContext db, CancellationToken cancellationToken)
    {
        var userId = received.Data.TryGetProperty("userId", out var id) && id.TryGetGuid(out var fromData)
            ? fromData
            : Guid.Parse(received.Subject ?? throw new InvalidOperationException($"{received.Type} without a user id."));

        if (received.Type == Contracts.EventTypes.UserCredentialsChanged)
        {
            var notBefore = received.Data.GetProperty("notBefore").GetDateTimeOffset();
            await RevokeAsync(db, userId, notBefore, deleted: false, cancellationToken);
            return;
        }

        var deletedAt = received.Data.TryGetProperty("deletedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : received.Time ?? clock.GetUtcNow();
        await RevokeAsync(db, userId, deletedAt, deleted: true, cancellationToken);

        var tasks = await db.Tasks.Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        foreach (var task in tasks)
        {
            db.Tasks.Remove(task);
            db.AddEvent(Contracts.EventTypes.TaskDeleted, EventSources.Tasks, task.Id.ToString(), new TaskDeleted(task.Id, task.UserId, "account-deleted", task.ToState()), clock);
        }

        metrics.Operation("account_deleted", tasks.Count);
    }

    private async Task RevokeAsync(TasksDbContext db, Guid userId, DateTimeOffset notBefore, bool deleted, CancellationToken ct)
    {
        revocations.Apply(userId, notBefore, deleted);
        await db.RecordRevocationAsync(userId, notBefore, deleted, ct);
    }
}
