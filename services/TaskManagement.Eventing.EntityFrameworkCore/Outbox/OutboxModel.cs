using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Eventing.Outbox;

/// <summary>The <c>outbox_messages</c> mapping and <see cref="AddEvent"/>, which stages an event in it.</summary>
public static class OutboxModel
{
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
            e.Property(m => m.PartitionKey).HasColumnName("partition_key").HasMaxLength(100);
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
            // A partition's events in order: the live stream's replay after Last-Event-ID.
            e.HasIndex(m => new { m.PartitionKey, m.Sequence }).HasDatabaseName("ix_outbox_partition");
        });
        return model;
    }

    /// <summary>
    /// Stages <paramref name="data"/> in the outbox as its CloudEvent type, on its topic, with <paramref name="subject"/>
    /// (the aggregate's id) as subject; it is written by the caller's next SaveChanges, inside the same transaction
    /// as the change it describes. The source is the one registered with <c>AddEventPublishing</c>, stamped on save.
    /// </summary>
    public static OutboxMessage AddEvent<TEvent>(this IOutboxDbContext db, Guid subject, TEvent data, TimeProvider? clock = null)
        where TEvent : IIntegrationEvent
    {
        var activity = Activity.Current;
        var message = new OutboxMessage
        {
            EventId = Guid.CreateVersion7(),
            Type = TEvent.EventType,
            Source = string.Empty,
            Subject = subject.ToString(),
            Topic = TEvent.Topic,
            PartitionKey = data is IPartitionedEvent partitioned ? partitioned.PartitionKey : null,
            OccurredAt = (clock ?? TimeProvider.System).GetUtcNow(),
            Data = JsonSerializer.Serialize(data, IntegrationEventJson.Options),
            TraceParent = activity?.Id is { } id && activity.IdFormat == ActivityIdFormat.W3C ? id : null,
            TraceState = activity?.TraceStateString,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}
