using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Signals the relay once outbox rows are durable: after SaveChanges when it ran in its own transaction, or
/// after the caller's explicit transaction commits (rows saved inside a transaction are invisible to the
/// relay until then). Rolled-back transactions signal nothing.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Pending = new();

    // Contexts whose open explicit transaction holds outbox rows; weak so a forgotten context leaks nothing.
    private readonly ConditionalWeakTable<DbContext, object> _awaitingCommit = [];
    private readonly ConditionalWeakTable<DbContext, object> _awaitingSave = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, commit: false);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, commit: false);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, commit: true);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, commit: true);
        return Task.CompletedTask;
    }

    private void Track(DbContext? context)
    {
        if (context is null || !context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            return;
        }

        // An explicit transaction exists before SaveChanges starts; SaveChanges' own one does not yet.
        var table = context.Database.CurrentTransaction is null ? _awaitingSave : _awaitingCommit;
        table.AddOrUpdate(context, Pending);
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _awaitingSave.Remove(context))
        {
            signal.Notify();
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _awaitingCommit.Remove(context))
        {
            signal.Notify();
        }
    }

    private void Forget(DbContext? context, bool commit)
    {
        if (context is not null)
        {
            (commit ? _awaitingCommit : _awaitingSave).Remove(context);
        }
    }
}
