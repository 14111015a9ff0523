using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Inbox;

namespace TaskManagement.Events.Tests;

/// <summary>
/// The inbox processor on the real database, called as the transports call it: one scope (and DbContext) per
/// delivery. Covers what the broker tests cannot force: two deliveries of one event inside the handler at once.
/// </summary>
public sealed class InboxProcessorTests : IAsyncLifetime
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private readonly MetricsProbe _metrics = new();
    private readonly LogRecorder<InboxProcessor<ConsumerDbContext, ScriptedHandler>> _logs = new();
    private TestDatabase _db = null!;
    private ConsumerHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("evc");
        _host = await ConsumerHost.StartAsync(_db, TestTopic.NewName(), new Dictionary<string, string?> { ["Events:Transport"] = "none" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Two_deliveries_of_one_event_inside_the_handler_at_once_have_one_effect_and_both_succeed()
    {
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;
        var handler = new HandlerScript(async (received, db, ct) =>
        {
            await ScriptedHandler.Record(received, db);
            // Neither delivery has committed yet: both passed the inbox check, the unique key must decide.
            if (Interlocked.Increment(ref inside) == 2)
            {
                bothInside.SetResult();
            }

            await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        });
        var incoming = Incoming(Guid.NewGuid().ToString());

        var outcomes = await Task.WhenAll(
            Task.Run(() => DeliverAsync(handler, incoming)),
            Task.Run(() => DeliverAsync(handler, incoming)));

        Assert.Equal(2, handler.Calls);
        Assert.Equal([ConsumeOutcome.Handled, ConsumeOutcome.Duplicate], outcomes.Select(o => o.Outcome).Order());
        // The losing delivery leaves nothing behind for a later SaveChanges on its scope.
        Assert.False(outcomes.Single(o => o.Outcome == ConsumeOutcome.Duplicate).PendingChanges);
        Assert.Single(await _host.EffectsAsync(incoming.Event.Id));
        Assert.Equal(1, await _host.InboxCountAsync(incoming.Event.Id));
        Assert.Equal(1, _metrics.Sum("taskmanagement.events.consumed", EventTypes.UserDeleted));
        Assert.Equal(1, _metrics.Sum("taskmanagement.events.duplicates", EventTypes.UserDeleted));
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains(incoming.Event.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivery_after_the_first_committed_skips_the_handler()
    {
        var handler = new HandlerScript((received, db, _) => ScriptedHandler.Record(received, db));
        var incoming = Incoming(Guid.NewGuid().ToString());

        Assert.Equal(ConsumeOutcome.Handled, (await DeliverAsync(handler, incoming)).Outcome);
        Assert.Equal(ConsumeOutcome.Duplicate, (await DeliverAsync(handler, incoming)).Outcome);

        Assert.Equal(1, handler.Calls);
        Assert.Single(await _host.EffectsAsync(incoming.Event.Id));
        var inbox = await InboxRowAsync(incoming.Event.Id);
        Assert.Equal(EventTypes.UserDeleted, inbox.Type);
        Assert.Equal(EventSources.Auth, inbox.Source);
        Assert.InRange(inbox.ProcessedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(1, _metrics.Sum("taskmanagement.events.consumed", EventTypes.UserDeleted));
        Assert.Equal(1, _metrics.Sum("taskmanagement.events.duplicates", EventTypes.UserDeleted));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains(incoming.Event.Id, StringComparison.Ordinal));

        // Another event is not mistaken for the first one.
        var other = Incoming(Guid.NewGuid().ToString());
        Assert.Equal(ConsumeOutcome.Handled, (await DeliverAsync(handler, other)).Outcome);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task A_type_no_handler_wants_is_ignored_without_a_trace_in_the_inbox()
    {
        var handler = new HandlerScript((received, db, _) => ScriptedHandler.Record(received, db));
        var incoming = Incoming(Guid.NewGuid().ToString(), EventTypes.UserRegistered);

        Assert.Equal(ConsumeOutcome.Ignored, (await DeliverAsync(handler, incoming)).Outcome);

        Assert.Equal(0, handler.Calls);
        Assert.Equal(0, await _host.InboxCountAsync(incoming.Event.Id));
        Assert.Equal(1, _metrics.Sum("taskmanagement.events.ignored", EventTypes.UserRegistered));
        Assert.Equal(0, _metrics.Sum("taskmanagement.events.consumed"));
    }

    [Fact]
    public async Task A_unique_key_violation_of_the_handler_itself_is_a_failure_not_a_duplicate()
    {
        // The handler's own effect collides (a primary key): that must be retried, not acknowledged as a duplicate.
        await _db.ExecuteAsync("INSERT INTO handled_events (Id, EventId, Type) VALUES (4242, 'seed', 'seed')");
        var handler = new HandlerScript((received, db, _) =>
        {
            db.HandledEvents.Add(new HandledEvent { Id = 4242, EventId = received.Id, Type = received.Type });
            return Task.CompletedTask;
        });
        var incoming = Incoming(Guid.NewGuid().ToString());

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => DeliverAsync(handler, incoming));
        Assert.Equal(MySqlErrorCode.DuplicateKeyEntry, Assert.IsType<MySqlException>(error.InnerException).ErrorCode);
        Assert.Equal(0, await _host.InboxCountAsync(incoming.Event.Id));
        Assert.Equal(0, _metrics.Sum("taskmanagement.events.duplicates"));
        Assert.Equal(0, _metrics.Sum("taskmanagement.events.consumed"));
    }

    [Fact]
    public async Task Data_that_does_not_match_the_contract_is_malformed_and_leaves_nothing()
    {
        var handler = new HandlerScript((received, db, _) => throw new JsonException("userId must be a uuid."));
        var incoming = Incoming(Guid.NewGuid().ToString());

        var error = await Assert.ThrowsAsync<MalformedEventException>(() => DeliverAsync(handler, incoming));
        Assert.Contains(incoming.Event.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains(EventTypes.UserDeleted, error.Message, StringComparison.Ordinal);
        Assert.Contains("userId must be a uuid.", error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException);
        Assert.Equal(0, await _host.InboxCountAsync(incoming.Event.Id));
    }

    [Fact]
    public async Task Handling_continues_the_trace_of_the_event_as_a_consumer_span()
    {
        using var spans = new SpanRecorder();
        var handler = new HandlerScript((received, db, _) => ScriptedHandler.Record(received, db));
        var incoming = Incoming(Guid.NewGuid().ToString());

        await DeliverAsync(handler, incoming);

        var span = await spans.WaitForAsync(incoming.Event.Id, ActivityKind.Consumer);
        Assert.Equal($"{EventTypes.UserDeleted} process", span.DisplayName);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", span.ParentSpanId.ToHexString());
        Assert.Equal(EventTypes.UserDeleted, span.GetTagItem("cloudevents.event_type"));
    }

    /// <summary>One delivery as a transport makes it: its own scope and DbContext.</summary>
    private async Task<(ConsumeOutcome Outcome, bool PendingChanges)> DeliverAsync(HandlerScript handler, IncomingEvent incoming)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsumerDbContext>();
        var processor = new InboxProcessor<ConsumerDbContext, ScriptedHandler>(db, new ScriptedHandler(handler, db), _metrics.Metrics, _logs);
        var outcome = await processor.ProcessAsync(incoming, CancellationToken.None);
        return (outcome, db.ChangeTracker.HasChanges());
    }

    private async Task<InboxMessage> InboxRowAsync(string eventId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsumerDbContext>();
        return await db.InboxMessages.AsNoTracking().SingleAsync(m => m.EventId == eventId);
    }

    private static IncomingEvent Incoming(string id, string type = EventTypes.UserDeleted) => new(
        new ReceivedEvent(id, type, EventSources.Auth, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(new { userId = Guid.NewGuid() })),
        TraceParent,
        null);
}
