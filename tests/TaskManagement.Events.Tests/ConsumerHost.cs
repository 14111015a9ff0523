using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Contracts;
using TaskManagement.Data.MySql;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Inbox;
using TaskManagement.Testing;

namespace TaskManagement.Events.Tests;

/// <summary>The effect a handled event leaves behind; a duplicate would leave a second row.</summary>
public sealed class HandledEvent
{
    public long Id { get; set; }

    public required string EventId { get; set; }

    public required string Type { get; set; }

    public string? Subject { get; set; }
}

/// <summary>A minimal consuming service's database: the shared inbox plus one table of effects.</summary>
public sealed class ConsumerDbContext(DbContextOptions<ConsumerDbContext> options) : DbContext(options), IInboxDbContext
{
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<HandledEvent> HandledEvents => Set<HandledEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<HandledEvent>(e =>
        {
            e.ToTable("handled_events");
            e.Property(h => h.EventId).HasMaxLength(200);
            e.Property(h => h.Type).HasMaxLength(200);
            e.Property(h => h.Subject).HasMaxLength(200);
        });
    }
}

/// <summary>
/// Test handler for the user events: records each one as a row. Subjects starting with <c>fail-</c> make it
/// throw (a transient failure); data that is not an object does not read as the record (malformed).
/// </summary>
public sealed class RecordingHandler(ConsumerDbContext db) : IIntegrationEventHandler<UserRegistered>, IIntegrationEventHandler<UserDeleted>
{
    /// <summary>Calls per event id, across retries.</summary>
    public static ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

    public Task HandleAsync(UserRegistered data, EventEnvelope envelope, CancellationToken cancellationToken) => Record(envelope);

    public Task HandleAsync(UserDeleted data, EventEnvelope envelope, CancellationToken cancellationToken) => Record(envelope);

    private Task Record(EventEnvelope envelope)
    {
        Attempts.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
        if (envelope.Subject?.StartsWith("fail-", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("Simulated handler failure.");
        }

        db.HandledEvents.Add(new HandledEvent { EventId = envelope.Id, Type = envelope.Type, Subject = envelope.Subject });
        return Task.CompletedTask;
    }
}

/// <summary>A small consuming service on Kestrel: AddEventConsumer + MapEventSubscriptions, as Tasks wires them.</summary>
public sealed class ConsumerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConsumerHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<ConsumerHost> StartAsync(TestDatabase database, string topic, IDictionary<string, string?> settings)
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ConsumerHost).Assembly.GetName().Name,
            EnvironmentName = "Development",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Database"] = database.ConnectionString(),
            ["Database:ServerVersion"] = Infrastructure.ServerVersion,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.AddMySqlDbContext<ConsumerDbContext>();
        builder.AddEventing()
            .AddRabbitMqTransport()
            .AddDaprTransport()
            .AddEventConsumer<ConsumerDbContext, RecordingHandler>(topic);

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsumerDbContext>().Database.EnsureCreatedAsync();
        }

        app.MapEventSubscriptions();
        await app.StartAsync();
        return new ConsumerHost(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
    }

    public async Task<List<HandledEvent>> EffectsAsync(string eventId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsumerDbContext>();
        return await db.HandledEvents.AsNoTracking().Where(h => h.EventId == eventId).ToListAsync();
    }

    public async Task<int> InboxCountAsync(string eventId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsumerDbContext>();
        return await db.InboxMessages.CountAsync(m => m.EventId == eventId);
    }

    /// <summary>Polls until the event has left an effect (or the timeout passes).</summary>
    public async Task<List<HandledEvent>> WaitForEffectAsync(string eventId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var effects = await EffectsAsync(eventId);
            if (effects.Count > 0 || DateTime.UtcNow > deadline)
            {
                return effects;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>CloudEvents as other producers put them on the wire, for the consumer tests.</summary>
public static class SampleEvents
{
    /// <summary>
    /// The body daprd's pubsub.rabbitmq publishes (REFERENCE.md A.1.3): the app's CloudEvent plus
    /// <c>topic</c>, <c>pubsubname</c>, <c>traceid</c>, <c>traceparent</c>, <c>tracestate</c>.
    /// </summary>
    public static byte[] DaprShaped(string id, string type, string topic, string subject, object? data = null)
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var body = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = EventSources.Auth,
            ["type"] = type,
            ["subject"] = subject,
            ["time"] = "2026-01-02T03:04:05.678Z",
            ["datacontenttype"] = "application/json",
            ["data"] = data ?? new { userId = Guid.NewGuid(), username = "dapr_user", deletedAt = "2026-01-02T03:04:05.678+00:00" },
            ["topic"] = topic,
            ["pubsubname"] = "pubsub",
            ["traceid"] = traceParent,
            ["traceparent"] = traceParent,
            ["tracestate"] = "",
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
