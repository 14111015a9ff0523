using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskManagement.Auth.Data;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Events.Tests;

/// <summary>
/// One relay round at a time, against the real broker and database: what a failed publish does to the row
/// (attempts, error, retry time), to the later rows of its subject (they wait) and to the retry delay (doubles,
/// capped). The service's own background relay is stopped, so only the rounds the test runs touch the outbox.
/// </summary>
public sealed class OutboxRelayRoundTests : IAsyncLifetime
{
    /// <summary>Data the formatter cannot parse: a publish of this row fails every time, with the broker up.</summary>
    private const string Unpublishable = "{\"n\":";

    private RelayBench _bench = null!;

    public async Task InitializeAsync() => _bench = await RelayBench.StartAsync();

    public async Task DisposeAsync() => await _bench.DisposeAsync();

    [Fact]
    public async Task A_row_that_fails_to_publish_holds_back_the_later_rows_of_its_subject_until_it_goes_out()
    {
        using var spans = new SpanRecorder();
        var relay = Relay();
        var first = await InsertAsync("order-a", Unpublishable);
        var second = await InsertAsync("order-a", """{"n":1}""");
        var third = await InsertAsync("order-a", """{"n":2}""");
        var otherSubject = await InsertAsync("order-b", """{"n":10}""");
        await InsertAsync("order-b", """{"n":11}""");

        // Round 1: the other subject goes out; subject a stops at its failed row, the rows behind it are not tried.
        Assert.Equal(new RelayRound(Claimed: 5, Published: 2, Failed: 1, HeldBack: 0), await relay.RelayOnceAsync(CancellationToken.None));
        await _bench.Listener.WaitForAsync(_ => true, count: 2);
        var failed = await RowAsync(first);
        Assert.Equal(1, failed.Attempts);
        Assert.Matches("^Json[A-Za-z]*Exception: ", failed.LastError);
        Assert.Null(failed.PublishedAt);
        Assert.NotNull(failed.NextAttemptAt);
        foreach (var waiting in new[] { second, third })
        {
            Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(waiting));
        }

        Assert.Equal(1, _bench.Metrics.Sum("taskmanagement.events.publish_failures", EventTypes.UserRegistered));
        Assert.Equal(2, _bench.Metrics.Sum("taskmanagement.events.published", EventTypes.UserRegistered));
        var warning = Assert.Single(_bench.Logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains($"{_bench.EventIdOf(first)} ({EventTypes.UserRegistered}) failed on attempt 1: {failed.LastError}", warning.Message, StringComparison.Ordinal);
        // The trace shows the failed publish as an error, with the reason.
        var span = await spans.WaitForAsync(_bench.EventIdOf(first), ActivityKind.Producer);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.False(string.IsNullOrEmpty(span.StatusDescription));
        Assert.Contains(span.StatusDescription, failed.LastError, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Unset, (await spans.WaitForAsync(_bench.EventIdOf(otherSubject), ActivityKind.Producer)).Status);

        // Round 2: the failed row is not due yet, so the two behind it are claimed but held back.
        Assert.Equal(new RelayRound(Claimed: 2, Published: 0, Failed: 0, HeldBack: 2), await relay.RelayOnceAsync(CancellationToken.None));
        Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(second));

        // The row becomes publishable and due: all three go out, in order.
        await _bench.Db.ExecuteAsync($"UPDATE outbox_messages SET data = '{{\"n\":0}}', next_attempt_at = NULL WHERE sequence = {first}");
        Assert.Equal(new RelayRound(Claimed: 3, Published: 3, Failed: 0, HeldBack: 0), await relay.RelayOnceAsync(CancellationToken.None));
        await _bench.Listener.WaitForAsync(_ => true, count: 5);
        await Task.Delay(300); // room for a duplicate
        Assert.Equal([0, 1, 2], _bench.Listener.Deliveries.Where(d => d.CloudEvent.Subject == "order-a").Select(N));
        Assert.Equal([10, 11], _bench.Listener.Deliveries.Where(d => d.CloudEvent.Subject == "order-b").Select(N));
        var published = await RowAsync(first);
        Assert.Equal(2, published.Attempts);
        Assert.Null(published.LastError);
        Assert.Null(published.NextAttemptAt);
        Assert.NotNull(published.PublishedAt);
        Assert.Null(_bench.Status.Current.Error);
        Assert.Equal(new RelayRound(0, 0, 0, 0), await relay.RelayOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_retry_delay_doubles_per_failed_attempt_up_to_the_cap()
    {
        var relay = Relay(o =>
        {
            o.Outbox.InitialBackoff = TimeSpan.FromSeconds(10);
            o.Outbox.MaxBackoff = TimeSpan.FromSeconds(60);
        });
        var row = await InsertAsync("backoff", Unpublishable);

        // 10 s, 20 s, 40 s, then the cap (80 s would be next), and it stays there.
        foreach (var (attempt, seconds) in new[] { (1, 10), (2, 20), (3, 40), (4, 60), (5, 60) })
        {
            var before = DateTime.UtcNow;
            Assert.Equal(new RelayRound(1, 0, 1, 0), await relay.RelayOnceAsync(CancellationToken.None));
            var after = DateTime.UtcNow;
            var state = await RowAsync(row);
            Assert.Equal(attempt, state.Attempts);
            var delay = TimeSpan.FromSeconds(seconds);
            Assert.InRange(state.NextAttemptAt!.Value, before + delay - TimeSpan.FromMilliseconds(1), after + delay + TimeSpan.FromMilliseconds(1));

            // Not due yet: the next round leaves it alone.
            Assert.Equal(new RelayRound(0, 0, 0, 0), await relay.RelayOnceAsync(CancellationToken.None));
            // Time passes: the row is due again.
            await _bench.Db.ExecuteAsync($"UPDATE outbox_messages SET next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE sequence = {row}");
        }

        Assert.Equal(0, _bench.Metrics.Sum("taskmanagement.events.published"));
        Assert.Equal(5, _bench.Metrics.Sum("taskmanagement.events.publish_failures", EventTypes.UserRegistered));
    }

    [Fact]
    public async Task While_the_broker_is_away_later_rows_wait_and_go_out_in_order_once_it_is_back()
    {
        var relay = Relay(o =>
        {
            o.PublishTimeout = TimeSpan.FromSeconds(1);
            o.Outbox.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Outbox.MaxBackoff = TimeSpan.FromMilliseconds(400);
        });
        _bench.Proxy.Stop();
        var rows = new List<long>();
        for (var n = 0; n < 3; n++)
        {
            rows.Add(await InsertAsync("outage", $$"""{"n":{{n}}}"""));
        }

        Assert.Equal(new RelayRound(3, 0, 1, 0), await relay.RelayOnceAsync(CancellationToken.None));
        var failed = await RowAsync(rows[0]);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("Publish timed out after 1s", failed.LastError);
        Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(rows[1]));
        Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(rows[2]));
        Assert.Equal("Publish timed out after 1s", _bench.Status.Current.Error);

        _bench.Proxy.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await _bench.Db.CountAsync("outbox_messages WHERE published_at IS NULL") > 0 && DateTime.UtcNow < deadline)
        {
            await relay.RelayOnceAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        await _bench.Listener.WaitForAsync(_ => true, count: 3, timeout: TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal([0, 1, 2], _bench.Listener.Deliveries.Select(N));
        Assert.Null(_bench.Status.Current.Error);
    }

    /// <summary>
    /// The row keeps the trace context of the request that wrote it (W3C <c>traceparent</c> and <c>tracestate</c>):
    /// the CloudEvent carries both to subscribers, and the publish span continues that trace with that state.
    /// </summary>
    [Fact]
    public async Task An_event_carries_the_trace_parent_and_state_of_the_request_that_wrote_it()
    {
        using var spans = new SpanRecorder();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const string traceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
        var row = await InsertAsync("traced", """{"n":7}""", traceParent, traceState);

        Assert.Equal(new RelayRound(1, 1, 0, 0), await Relay().RelayOnceAsync(CancellationToken.None));

        var delivery = Assert.Single(await _bench.Listener.WaitForAsync(_ => true));
        Assert.Equal(traceParent, delivery.Json.GetProperty("traceparent").GetString());
        Assert.Equal(traceState, delivery.Json.GetProperty("tracestate").GetString());
        var span = await spans.WaitForAsync(_bench.EventIdOf(row), ActivityKind.Producer);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", span.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", span.ParentSpanId.ToHexString());
        Assert.Equal(traceState, span.TraceStateString);
    }

    /// <summary>
    /// A failure reason longer than <c>last_error</c> holds is stored cut to the column's 2,000 characters: the
    /// round that records it must not fail on it (strict SQL mode would reject the whole update).
    /// </summary>
    [Fact]
    public async Task A_failure_reason_longer_than_the_column_is_stored_cut_to_2000_characters()
    {
        var row = await InsertAsync("long-error", """{"n":0}""");
        var reason = string.Concat(Enumerable.Range(0, 300).Select(i => $"{i:D4}-err;"));
        await using (var scope = _bench.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await OutboxRows.MarkFailedAsync(db, transaction, row, 1, reason, DateTime.UtcNow.AddMinutes(1), CancellationToken.None);
            await transaction.CommitAsync();
        }

        var stored = await RowAsync(row);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(reason[..2000], stored.LastError);
    }

    /// <summary>
    /// Different subjects are published concurrently, but never more at once than <c>MaxParallelism</c>: a broker
    /// round trip per event is not paid one after another, and a large batch does not open unbounded publishes.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Publishes_of_different_subjects_overlap_up_to_the_configured_parallelism(int parallelism)
    {
        using var spans = new SpanRecorder();
        var rows = new List<long>();
        for (var n = 0; n < 24; n++)
        {
            rows.Add(await InsertAsync($"parallel-{n}", $$"""{"n":{{n}}}"""));
        }

        var relay = Relay(o => o.Outbox.MaxParallelism = parallelism);
        Assert.Equal(new RelayRound(24, 24, 0, 0), await relay.RelayOnceAsync(CancellationToken.None));

        var publishes = new List<Activity>();
        foreach (var row in rows)
        {
            publishes.Add(await spans.WaitForAsync(_bench.EventIdOf(row), ActivityKind.Producer));
        }

        // The most publishes in flight at one moment: each span's start, counting the spans that began before and end after it.
        var mostAtOnce = publishes.Max(p => publishes.Count(o => o.StartTimeUtc <= p.StartTimeUtc && o.StartTimeUtc + o.Duration > p.StartTimeUtc));
        Assert.InRange(mostAtOnce, Math.Min(parallelism, 2), parallelism);
    }

    private OutboxRelay<AuthDbContext> Relay(Action<EventsOptions>? configure = null) => _bench.Relay(configure);

    private Task<long> InsertAsync(string subject, string data, string? traceParent = null, string? traceState = null) =>
        _bench.InsertAsync(subject, data, traceParent, traceState);

    private Task<OutboxRow> RowAsync(long sequence) => _bench.RowAsync(sequence);

    private static int N(AmqpDelivery delivery) => RelayBench.N(delivery);
}
