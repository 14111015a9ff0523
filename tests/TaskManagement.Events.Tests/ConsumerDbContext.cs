using Microsoft.EntityFrameworkCore;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Inbox;

namespace TaskManagement.Events.Tests;

/// <summary>A minimal consuming service's database: the shared inbox plus one table of effects.</summary>
public sealed class ConsumerDbContext(DbContextOptions<ConsumerDbContext> options) : DbContext(options), IInboxDbContext
{
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<HandledEvent> HandledEvents => Set<HandledEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<HandledEvent>(e =>
        {
            e.ToTable("handled_events");
            e.Property(h => h.EventId).HasMaxLength(200);
            e.Property(h => h.Type).HasMaxLength(200);
            e.Property(h => h.Subject).HasMaxLength(200);
        });
    }
}
