using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Data.MySql;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>A small consuming service on Kestrel: AddEventConsumer + MapEventSubscriptions, as Tasks wires them.</summary>
public sealed class ConsumerHost : LoopbackWebHost
{
    private ConsumerHost(WebApplication app, int port)
        : base(app, port)
    {
    }

    public IServiceProvider Services => App.Services;

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
        builder.WebHost.UseUrls(Url(port));
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
        return new ConsumerHost(app, port);
    }

    public async Task<List<HandledEvent>> EffectsAsync(string eventId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsumerDbContext>();
        return await db.HandledEvents.AsNoTracking().Where(h => h.EventId == eventId).ToListAsync();
    }

    public async Task<int> InboxCountAsync(string eventId)
    {
        await using var scope = App.Services.CreateAsyncScope();
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
}
