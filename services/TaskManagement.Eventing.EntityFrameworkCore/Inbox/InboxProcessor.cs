using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace TaskManagement.Eventing.Inbox;

/// <summary>
/// The one code path behind both transports (MassTransit consumer, Dapr subscription endpoint): in one
/// database transaction, skip the event if its id is in the inbox, else run the handler and record the id.
/// The inbox's unique key turns a concurrent duplicate delivery into a rollback instead of a second effect.
/// Which of <typeparamref name="THandler"/>'s <see cref="IIntegrationEventHandler{TEvent}"/> implementations runs,
/// and as which record the data is read, follows the CloudEvent type (<see cref="IntegrationEventDispatcher"/>).
/// </summary>
public sealed partial class InboxProcessor<TDbContext, THandler>(TDbContext db, THandler handler, EventMetrics metrics, ILogger<InboxProcessor<TDbContext, THandler>> logger)
    where TDbContext : DbContext, IInboxDbContext
    where THandler : class
{
    private const string InboxUniqueKey = "ux_inbox_event_id";

    private static readonly IntegrationEventDispatcher Dispatcher = IntegrationEventDispatcher.For<THandler>();

    public async Task<ConsumeOutcome> ProcessAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var received = incoming.Event;
        ActivityContext.TryParse(incoming.TraceParent, incoming.TraceState, out var parent);
        using var activity = EventMetrics.ActivitySource.StartActivity($"{received.Type} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", received.Id);
        activity?.SetTag("cloudevents.event_type", received.Type);

        if (!Dispatcher.Handles(received.Type))
        {
            metrics.Ignored(received.Type);
            return ConsumeOutcome.Ignored;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.InboxMessages.AnyAsync(m => m.EventId == received.Id, cancellationToken))
        {
            return Duplicate(received);
        }

        try
        {
            await Dispatcher.DispatchAsync(handler, received, cancellationToken);
        }
        catch (JsonException ex)
        {
            // The data does not match the contract: every redelivery would fail the same way.
            throw new MalformedEventException($"The data of event {received.Id} ({received.Type}) does not match its schema: {ex.Message}", ex);
        }

        db.InboxMessages.Add(new InboxMessage
        {
            Id = Guid.CreateVersion7(),
            EventId = received.Id,
            Type = received.Type,
            Source = received.Source,
            ProcessedAt = DateTimeOffset.UtcNow,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } mysql
            && mysql.Message.Contains(InboxUniqueKey, StringComparison.Ordinal))
        {
            // Another delivery of the same event committed first.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Duplicate(received);
        }

        metrics.Consumed(received.Type);
        LogHandled(logger, received.Id, received.Type);
        return ConsumeOutcome.Handled;
    }

    private ConsumeOutcome Duplicate(ReceivedEvent received)
    {
        metrics.Duplicate(received.Type);
        LogDuplicate(logger, received.Id, received.Type);
        return ConsumeOutcome.Duplicate;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled event {EventId} ({Type})")]
    private static partial void LogHandled(ILogger logger, string eventId, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped duplicate event {EventId} ({Type})")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string type);
}
