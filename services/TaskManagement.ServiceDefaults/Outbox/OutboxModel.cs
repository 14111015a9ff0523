using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;

namespace TaskManagement.ServiceDefaults.Outbox;

/// <summary>A DbContext that owns an <c>outbox_messages</c> table.</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}

public static class OutboxModel
{
    /// <summary>Event data is camelCase JSON, the same names the HTTP API uses.</summary>
    public static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web);

    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            e.Property(m => m.EventId).HasColumnName("event_id");
            e.HasIndex(m => m.EventId).IsUnique();
            e.Property(m => m.Type).HasColumnName("type").HasMaxLength(200);
            e.Property(m => m.Source).HasColumnName("source").HasMaxLength(200);
            e.Property(m => m.Subject).HasColumnName("subject").HasMaxLength(200);
            e.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(100);
            e.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            e.Property(m => m.Data).HasColumnName("data").HasColumnType("longtext");
            e.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(55);
            e.Property(m => m.TraceState).HasColumnName("trace_state").HasMaxLength(512);
            e.Property(m => m.PublishedAt).HasColumnName("published_at");
            e.Property(m => m.Attempts).HasColumnName("attempts");
            e.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            e.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            // The relay's scan: unpublished rows in order.
            e.HasIndex(m => new { m.PublishedAt, m.Sequence }).HasDatabaseName("ix_outbox_pending");
        });
        return model;
    }

    /// <summary>
    /// Stages an event in the outbox; it is written by the caller's next SaveChanges, inside the same
    /// transaction as the change it describes.
    /// </summary>
    public static OutboxMessage AddEvent<TData>(this IOutboxDbContext db, string type, string source, string subject, TData data, TimeProvider? clock = null)
    {
        var activity = Activity.Current;
        var message = new OutboxMessage
        {
            EventId = Guid.CreateVersion7(),
            Type = type,
            Source = source,
            Subject = subject,
            Topic = EventTypes.TopicOf(type),
            OccurredAt = (clock ?? TimeProvider.System).GetUtcNow(),
            Data = JsonSerializer.Serialize(data, DataJson),
            TraceParent = activity?.Id is { } id && activity.IdFormat == ActivityIdFormat.W3C ? id : null,
            TraceState = activity?.TraceStateString,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}
