using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TaskManagement.ServiceDefaults.Events;

/// <summary>A CloudEvent as received from the broker or from the Dapr sidecar, transport details removed.</summary>
public sealed record ReceivedEvent(string Id, string Type, string Source, string? Subject, DateTimeOffset? Time, JsonElement Data);

/// <summary>
/// Reacts to one or more event types. The transport adapters (MassTransit consumer, Dapr subscription)
/// call it inside one database transaction together with the inbox row, so a redelivered event has
/// no second effect; anything the handler stages on <typeparamref name="TDbContext"/> (including
/// outbox events) is saved by the caller. Throwing means "retry later".
/// </summary>
public interface IIntegrationEventHandler<in TDbContext>
    where TDbContext : DbContext
{
    /// <summary>The CloudEvent types this handler acts on; other types on the topic are acknowledged and ignored.</summary>
    IReadOnlyCollection<string> EventTypes { get; }

    Task HandleAsync(ReceivedEvent received, TDbContext db, CancellationToken cancellationToken);
}
