using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

    private readonly string _topic = TestTopic.NewName();
    private readonly MetricsProbe _metrics = new();
    private readonly PublishStatus _status = new();
    private readonly LogRecorder<OutboxRelay<AuthDbContext>> _logs = new();
    private AmqpEventListener _listener = null!;
    private TestDatabase _db = null!;
    private TcpProxy _proxy = null!;
    private AuthService _host = null!;

    public async Task InitializeAsync()
    {
        _listener = await AmqpEventListener.StartAsync(_topic);
        _db = await TestDatabase.CreateAsync("auth");
        _proxy = BrokerOutage.StartProxy();
        _host = new AuthService(_db.ConnectionString(), AuthService.NewKeyPath(), AmqpEventListener.ServiceSettings(_proxy.Port));
        // Stopped before its thread-pool work item ran, the relay's task ends Canceled, which a host that was not
        // stopping itself takes for a crash and shuts down on (.NET 10 runs ExecuteAsync through Task.Run).
        _host.ConfigureServices(services => services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore));
        _host.Start();
        // The test drives the rounds; the service's own relay must not race it for the rows.
        await _host.Services.GetRequiredService<OutboxRelay<AuthDbContext>>().StopAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _proxy.DisposeAsync();
        await _db.DisposeAsync();
        await _listener.DisposeAsync();
        _metrics.Dispose();
        await AmqpEventListener.DeleteAsync([], [_topic]);
    }

    [Fact]
    public async Task A_row_that_fails_to_publish_holds_back_the_later_rows_of_its_subject_until_it_goes_out()
    {
        var relay = Relay();
        var first = await InsertAsync("order-a", Unpublishable);
        var second = await InsertAsync("order-a", """{"n":1}""");
        var third = await InsertAsync("order-a", """{"n":2}""");
        await InsertAsync("order-b", """{"n":10}""");
        await InsertAsync("order-b", """{"n":11}""");

        // Round 1: the other subject goes out; subject a stops at its failed row, the rows behind it are not tried.
        Assert.Equal(new RelayRound(Claimed: 5, Published: 2, Failed: 1, HeldBack: 0), await relay.RelayOnceAsync(CancellationToken.None));
        await _listener.WaitForAsync(_ => true, count: 2);
        var failed = await RowAsync(first);
        Assert.Equal(1, failed.Attempts);
        Assert.Matches("^Json[A-Za-z]*Exception: ", failed.LastError);
        Assert.Null(failed.PublishedAt);
        Assert.NotNull(failed.NextAttemptAt);
        foreach (var waiting in new[] { second, third })
        {
            Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(waiting));
        }

        Assert.Equal(1, _metrics.Sum("taskmanagement.events.publish_failures", EventTypes.UserRegistered));
        Assert.Equal(2, _metrics.Sum("taskmanagement.events.published", EventTypes.UserRegistered));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(EventIdOf(first), StringComparison.Ordinal));

        // Round 2: the failed row is not due yet, so the two behind it are claimed but held back.
        Assert.Equal(new RelayRound(Claimed: 2, Published: 0, Failed: 0, HeldBack: 2), await relay.RelayOnceAsync(CancellationToken.None));
        Assert.Equal(new OutboxRow(0, null, null, null), await RowAsync(second));

        // The row becomes publishable and due: all three go out, in order.
        await _db.ExecuteAsync($"UPDATE outbox_messages SET data = '{{\"n\":0}}', next_attempt_at = NULL WHERE sequence = {first}");
        Assert.Equal(new RelayRound(Claimed: 3, Published: 3, Failed: 0, HeldBack: 0), await relay.RelayOnceAsync(CancellationToken.None));
        await _listener.WaitForAsync(_ => true, count: 5);
        await Task.Delay(300); // room for a duplicate
        Assert.Equal([0, 1, 2], _listener.Deliveries.Where(d => d.CloudEvent.Subject == "order-a").Select(N));
        Assert.Equal([10, 11], _listener.Deliveries.Where(d => d.CloudEvent.Subject == "order-b").Select(N));
        var published = await RowAsync(first);
        Assert.Equal(2, published.Attempts);
        Assert.Null(published.LastError);
        Assert.Null(published.NextAttemptAt);
        Assert.NotNull(published.PublishedAt);
        Assert.Null(_status.Current.Error);
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
            await _db.ExecuteAsync($"UPDATE outbox_messages SET next_attempt_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE sequence = {row}");
        }

        Assert.Equal(0, _metrics.Sum("taskmanagement.events.published"));
        Assert.Equal(5, _metrics.Sum("taskmanagement.events.publish_failures", EventTypes.UserRegistered));
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
        _proxy.Stop();
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
        Assert.Equal("Publish timed out after 1s", _status.Current.Error);

        _proxy.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await _db.CountAsync("outbox_messages WHERE published_at IS NULL") > 0 && DateTime.UtcNow < deadline)
        {
            await relay.RelayOnceAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        await _listener.WaitForAsync(_ => true, count: 3, timeout: TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal([0, 1, 2], _listener.Deliveries.Select(N));
        Assert.Null(_status.Current.Error);
    }

    private OutboxRelay<AuthDbContext> Relay(Action<EventsOptions>? configure = null)
    {
        var options = new EventsOptions();
        options.Outbox.InitialBackoff = TimeSpan.FromSeconds(30);
        options.Outbox.MaxBackoff = TimeSpan.FromMinutes(5);
        configure?.Invoke(options);
        return new OutboxRelay<AuthDbContext>(
            _host.Services.GetRequiredService<IServiceScopeFactory>(),
            _host.Services.GetRequiredService<IEventTransport>(),
            new OutboxSignal(),
            _metrics.Metrics,
            _status,
            Options.Create(options),
            _logs);
    }

    private readonly Dictionary<long, Guid> _eventIds = [];

    private string EventIdOf(long sequence) => _eventIds[sequence].ToString();

    private async Task<long> InsertAsync(string subject, string data)
    {
        var eventId = Guid.CreateVersion7();
        await _db.ExecuteAsync(
            "INSERT INTO outbox_messages (event_id, type, source, subject, topic, occurred_at, data, attempts) VALUES " +
            $"('{eventId}', '{EventTypes.UserRegistered}', '{EventSources.Auth}', '{subject}', '{_topic}', UTC_TIMESTAMP(6), '{data}', 0)");
        var sequence = Convert.ToInt64(await _db.ScalarAsync($"SELECT sequence FROM outbox_messages WHERE event_id = '{eventId}'"), CultureInfo.InvariantCulture);
        _eventIds[sequence] = eventId;
        return sequence;
    }

    private async Task<OutboxRow> RowAsync(long sequence)
    {
        var row = Assert.Single(await _db.QueryAsync($"SELECT attempts, last_error, next_attempt_at, published_at FROM outbox_messages WHERE sequence = {sequence}"));
        return new OutboxRow(
            Convert.ToInt32(row["attempts"], CultureInfo.InvariantCulture),
            row["last_error"] as string,
            row["next_attempt_at"] as DateTime?,
            row["published_at"] as DateTime?);
    }

    private static int N(AmqpDelivery delivery) => delivery.Json.GetProperty("data").GetProperty("n").GetInt32();

    private sealed record OutboxRow(int Attempts, string? LastError, DateTime? NextAttemptAt, DateTime? PublishedAt);
}
