using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Eventing.Inbox;

/// <summary>A DbContext that owns the <c>inbox_messages</c> and <c>dead_letters</c> tables.</summary>
public interface IInboxDbContext
{
    DbSet<InboxMessage> InboxMessages { get; }

    DbSet<DeadLetter> DeadLetters { get; }
}
