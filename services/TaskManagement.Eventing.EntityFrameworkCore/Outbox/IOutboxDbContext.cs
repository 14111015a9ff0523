using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Eventing.Outbox;

/// <summary>A DbContext that owns an <c>outbox_messages</c> table.</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}
