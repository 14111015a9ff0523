using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>A user.deleted handler on one delivery's DbContext, doing what the test's script says.</summary>
public sealed class ScriptedHandler(HandlerScript script, ConsumerDbContext db) : IIntegrationEventHandler<UserDeleted>
{
    public Task HandleAsync(UserDeleted data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        script.RunAsync(envelope, db, cancellationToken);

    /// <summary>Records the event as one row of effect.</summary>
    public static Task Record(EventEnvelope received, ConsumerDbContext db)
    {
        db.HandledEvents.Add(new HandledEvent { EventId = received.Id, Type = received.Type, Subject = received.Subject });
        return Task.CompletedTask;
    }
}
