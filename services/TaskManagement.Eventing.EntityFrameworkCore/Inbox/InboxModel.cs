using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Eventing.Inbox;

public static class InboxModel
{
    public static ModelBuilder AddInbox(this ModelBuilder model)
    {
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id");
            e.Property(m => m.EventId).HasColumnName("event_id").HasMaxLength(200);
            // The unique key is what makes two concurrent deliveries of one event apply once.
            e.HasIndex(m => m.EventId).IsUnique().HasDatabaseName("ux_inbox_event_id");
            e.Property(m => m.Type).HasColumnName("type").HasMaxLength(200);
            e.Property(m => m.Source).HasColumnName("source").HasMaxLength(200);
            e.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            e.HasIndex(m => m.ProcessedAt).HasDatabaseName("ix_inbox_processed_at");
        });
        model.Entity<DeadLetter>(e =>
        {
            e.ToTable("dead_letters");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id");
            e.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(100);
            e.Property(m => m.EventId).HasColumnName("event_id").HasMaxLength(200);
            e.Property(m => m.Body).HasColumnName("body").HasColumnType("longtext");
            e.Property(m => m.ReceivedAt).HasColumnName("received_at");
        });
        return model;
    }
}
