using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskManagement.Auth.Data;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Events.Tests;

/// <summary>
/// A real Auth service (database, broker behind a TCP proxy, a topic of the test's own) whose background relay is
/// stopped, so the only relays on its outbox are the ones a test builds with <see cref="Relay"/>: driven one round at a
/// time, or started as a background loop with its own options, metrics and log.
/// </summary>
internal sealed class RelayBench : IAsyncDisposable
{
    private readonly Dictionary<long, Guid> _eventIds = [];

    private RelayBench(string topic, AmqpEventListener listener, TestDatabase db, TcpProxy proxy, AuthService host)
    {
        Topic = topic;
        Listener = listener;
        Db = db;
        Proxy = proxy;
        Host = host;
    }

    public string Topic { get; }

    public AmqpEventListener Listener { get; }

    public TestDatabase Db { get; }

    /// <summary>Between the relay and the broker: <c>Stop()</c> is a broker outage.</summary>
    public TcpProxy Proxy { get; }

    public AuthService Host { get; }

    public MetricsProbe Metrics { get; } = new();

    public PublishStatus Status { get; } = new();

    public LogRecorder<OutboxRelay<AuthDbContext>> Logs { get; } = new();

    public static async Task<RelayBench> StartAsync()
    {
        var topic = TestTopic.NewName();
        var listener = await AmqpEventListener.StartAsync(topic);
        var db = await TestDatabase.CreateAsync("auth");
        var proxy = BrokerOutage.StartProxy();
        var host = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), AmqpEventListener.ServiceSettings(proxy.Port));
        // Stopped before its thread-pool work item ran, the relay's task ends Canceled, which a host that was not
        // stopping itself takes for a crash and shuts down on (.NET 10 runs ExecuteAsync through Task.Run).
        host.ConfigureServices(services => services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore));
        host.Start();
        // The test drives the relay; the service's own must not race it for the rows.
        await host.Services.GetRequiredService<OutboxRelay<AuthDbContext>>().StopAsync(CancellationToken.None);
        return new RelayBench(topic, listener, db, proxy, host);
    }

    /// <summary>A relay on the service's database and transport, with the test's metrics, status and log.</summary>
    public OutboxRelay<AuthDbContext> Relay(Action<EventsOptions>? configure = null, OutboxSignal? signal = null)
    {
        var options = new EventsOptions();
        options.Outbox.InitialBackoff = TimeSpan.FromSeconds(30);
        options.Outbox.MaxBackoff = TimeSpan.FromMinutes(5);
        configure?.Invoke(options);
        return new OutboxRelay<AuthDbContext>(
            Host.Services.GetRequiredService<IServiceScopeFactory>(),
            Host.Services.GetRequiredService<IEventTransport>(),
            signal ?? new OutboxSignal(),
            Metrics.Metrics,
            Status,
            Options.Create(options),
            Logs);
    }

    public string EventIdOf(long sequence) => _eventIds[sequence].ToString();

    /// <summary>An outbox row as a service writes it, for the test's topic; returns its sequence.</summary>
    public async Task<long> InsertAsync(string subject, string data, string? traceParent = null, string? traceState = null)
    {
        var eventId = Guid.CreateVersion7();
        await Db.ExecuteAsync(
            "INSERT INTO outbox_messages (event_id, type, source, subject, topic, occurred_at, data, attempts, trace_parent, trace_state) VALUES " +
            $"('{eventId}', '{EventTypes.UserRegistered}', '{EventSources.Auth}', '{subject}', '{Topic}', UTC_TIMESTAMP(6), '{data}', 0, " +
            $"{SqlString(traceParent)}, {SqlString(traceState)})");
        var sequence = Convert.ToInt64(await Db.ScalarAsync($"SELECT sequence FROM outbox_messages WHERE event_id = '{eventId}'"), CultureInfo.InvariantCulture);
        _eventIds[sequence] = eventId;
        return sequence;
    }

    public async Task<OutboxRow> RowAsync(long sequence)
    {
        var row = Assert.Single(await Db.QueryAsync($"SELECT attempts, last_error, next_attempt_at, published_at FROM outbox_messages WHERE sequence = {sequence}"));
        return new OutboxRow(
            Convert.ToInt32(row["attempts"], CultureInfo.InvariantCulture),
            row["last_error"] as string,
            row["next_attempt_at"] as DateTime?,
            row["published_at"] as DateTime?);
    }

    /// <summary>The <c>n</c> of a delivered test event's data.</summary>
    public static int N(AmqpDelivery delivery) => delivery.Json.GetProperty("data").GetProperty("n").GetInt32();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Proxy.DisposeAsync();
        await Db.DisposeAsync();
        await Listener.DisposeAsync();
        Metrics.Dispose();
        await AmqpEventListener.DeleteAsync([], [Topic]);
    }

    private static string SqlString(string? value) => value is null ? "NULL" : $"'{value}'";
}

internal sealed record OutboxRow(int Attempts, string? LastError, DateTime? NextAttemptAt, DateTime? PublishedAt);
