using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;
using TaskManagement.Eventing;
using TaskManagement.Tasks.Data;
using TaskManagement.Tasks.Revocation;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// The <c>users</c> topic, in the inbox transaction (on the same scoped <see cref="TasksDbContext"/>):
/// <list type="bullet">
/// <item>user.deleted: every token of the user is revoked, and the account's tasks go with it — each removed and
/// announced as task.deleted (reason <c>account-deleted</c>) through this service's own outbox;</item>
/// <item>user.credentials_changed: tokens issued before the change's not-before are revoked.</item>
/// </list>
/// The revocation row is what every replica reads; this replica's snapshot is tightened at once as well
/// (before the commit: the event is Auth's committed fact, and applying it twice changes nothing).
/// </summary>
public sealed class UserEventsHandler(TasksDbContext db, TasksMetrics metrics, RevocationSnapshot revocations, TimeProvider clock)
    : IIntegrationEventHandler<UserDeleted>, IIntegrationEventHandler<UserCredentialsChanged>
{
    public async Task HandleAsync(UserDeleted data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var userId = UserIdOf(data.UserId, envelope);
        var deletedAt = data.DeletedAt != default ? data.DeletedAt : envelope.Time ?? clock.GetUtcNow();
        await RevokeAsync(userId, deletedAt, deleted: true, cancellationToken);

        var tasks = await db.Tasks.Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        foreach (var task in tasks)
        {
            db.RemoveTask(task, TaskOutbox.DeletedWithAccount, clock);
        }

        metrics.Operation("account_deleted", tasks.Count);
    }

    public Task HandleAsync(UserCredentialsChanged data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        data.NotBefore == default
            ? throw new InvalidOperationException($"{envelope.Type} {envelope.Id} without notBefore.")
            : RevokeAsync(UserIdOf(data.UserId, envelope), data.NotBefore, deleted: false, cancellationToken);

    /// <summary>The user id of the data, else the subject (Auth sets both).</summary>
    private static Guid UserIdOf(Guid fromData, EventEnvelope envelope) =>
        fromData != Guid.Empty ? fromData : Guid.Parse(envelope.Subject ?? throw new InvalidOperationException($"{envelope.Type} without a user id."));

    private async Task RevokeAsync(Guid userId, DateTimeOffset notBefore, bool deleted, CancellationToken ct)
    {
        revocations.Apply(userId, notBefore, deleted);
        await db.RecordRevocationAsync(userId, notBefore, deleted, ct);
    }
}
