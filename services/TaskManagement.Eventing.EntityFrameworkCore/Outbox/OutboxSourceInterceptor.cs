using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Stamps the service's CloudEvent <c>source</c> (registered once with <c>AddEventPublishing</c>) on the outbox rows a
/// SaveChanges writes, so call sites stage an event with its subject and data only.
/// </summary>
internal sealed class OutboxSourceInterceptor(string source) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State == EntityState.Added && string.IsNullOrEmpty(entry.Entity.Source))
            {
                entry.Entity.Source = source;
            }
        }
    }
}
