using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TaskManagement.Eventing.Inbox;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Eventing;

/// <summary>
/// The outbox (<see cref="AddEventPublishing{TDbContext}"/>) and the inbox (<see cref="AddEventConsumer{TDbContext, THandler}"/>)
/// on the service's own DbContext; the transport that carries them is registered beside them on the same <see cref="EventingBuilder"/>.
/// </summary>
public static class EntityFrameworkCoreEventing
{
    /// <summary>
    /// Publishes the rows <typeparamref name="TDbContext"/> stages with <c>AddEvent</c>, as CloudEvents from
    /// <paramref name="source"/>: stamps the source on save, wakes the relay on commit, and (unless the transport is
    /// <c>none</c>) runs the outbox relay with its backlog gauge and pruner.
    /// </summary>
    public static EventingBuilder AddEventPublishing<TDbContext>(this EventingBuilder eventing, string source)
        where TDbContext : DbContext, IOutboxDbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var services = eventing.Services;
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxCommitInterceptor>();
        var stamp = new OutboxSourceInterceptor(source);
        services.ConfigureDbContext<TDbContext>((sp, options) => options.AddInterceptors(stamp, sp.GetRequiredService<OutboxCommitInterceptor>()));
        if (eventing.Transport != EventTransportKind.None)
        {
            // Hosted services stop in reverse order: with the transport registered first (see EventingRegistration), the relay stops before it.
            services.AddSingleton<OutboxRelay<TDbContext>>();
            services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TDbContext>>());
        }

        return eventing;
    }

    /// <summary>
    /// Consumes <paramref name="topic"/> with <typeparamref name="THandler"/> (one or more
    /// <see cref="IIntegrationEventHandler{TEvent}"/>) behind the inbox: a MassTransit receive endpoint on queue
    /// <c>{consumer group}-{topic}</c> in RabbitMQ mode, a Dapr subscription at <c>POST /api/events/{topic}</c> in
    /// Dapr mode. Types the handler does not implement are acknowledged and ignored.
    /// </summary>
    public static EventingBuilder AddEventConsumer<TDbContext, THandler>(this EventingBuilder eventing, string topic)
        where TDbContext : DbContext, IInboxDbContext
        where THandler : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        IntegrationEventDispatcher.For<THandler>(); // fails at start-up, not at the first event, when THandler handles nothing
        var services = eventing.Services;
        services.TryAddScoped<THandler>();
        services.TryAddScoped<InboxProcessor<TDbContext, THandler>>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InboxPruner<TDbContext>>());
        services.AddSingleton(new EventSubscription(
            topic,
            (provider, incoming, ct) => provider.GetRequiredService<InboxProcessor<TDbContext, THandler>>().ProcessAsync(incoming, ct),
            async (provider, deadLetter, ct) =>
            {
                var db = provider.GetRequiredService<TDbContext>();
                db.DeadLetters.Add(deadLetter);
                await db.SaveChangesAsync(ct);
            }));
        return eventing;
    }
}
