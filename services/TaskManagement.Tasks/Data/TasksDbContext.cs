using Microsoft.EntityFrameworkCore;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Inbox;
using TaskManagement.Eventing.Outbox;
using TaskManagement.Tasks.Revocation;

namespace TaskManagement.Tasks.Data;

public sealed class TasksDbContext(DbContextOptions<TasksDbContext> options) : DbContext(options), IOutboxDbContext, IInboxDbContext
{
    public DbSet<TaskItem> Tasks => Set<TaskItem>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<RevokedCredential> RevokedCredentials => Set<RevokedCredential>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasCharSet("utf8mb4");
        modelBuilder.Entity<TaskItem>(e =>
        {
            e.ToTable("tasks");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasColumnName("id");
            e.Property(t => t.UserId).HasColumnName("user_id");
            e.Property(t => t.Title).HasColumnName("title").HasMaxLength(TaskItem.TitleMaxLength);
            e.Property(t => t.Description).HasColumnName("description").HasMaxLength(TaskItem.DescriptionMaxLength);
            e.Property(t => t.Priority).HasColumnName("priority").HasConversion<byte>();
            e.Property(t => t.Status).HasColumnName("status").HasMaxLength(20)
                .HasConversion(s => Wire.Of(s), s => Wire.ParseOrDefault<TaskItemStatus>(s));
            e.Property(t => t.DueDate).HasColumnName("due_date");
            e.Property(t => t.CreatedAt).HasColumnName("created_at");
            e.Property(t => t.UpdatedAt).HasColumnName("updated_at");
            e.Property(t => t.CompletedAt).HasColumnName("completed_at");
            e.Property(t => t.Version).HasColumnName("version").IsConcurrencyToken();

            // The list queries: a user's tasks by status, and by creation time (the default order).
            e.HasIndex(t => new { t.UserId, t.Status }).HasDatabaseName("ix_tasks_user_status");
            e.HasIndex(t => new { t.UserId, t.CreatedAt }).HasDatabaseName("ix_tasks_user_created");
            e.HasIndex(t => new { t.UserId, t.DueDate }).HasDatabaseName("ix_tasks_user_due");
        });
        modelBuilder.AddOutbox();
        modelBuilder.AddInbox();
        modelBuilder.AddTokenRevocations();
    }
}
