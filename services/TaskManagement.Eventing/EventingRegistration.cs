using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskManagement.Eventing;

/// <summary>
/// Entry point of the event wiring (docs/events.md):
/// <code>
/// builder.AddEventing()
///     .AddRabbitMqTransport()        // used when Events:Transport resolves to rabbitmq
///     .AddDaprTransport()            // used when it resolves to dapr
///     .AddEventPublishing&lt;TDbContext&gt;(source)
///     .AddEventConsumer&lt;TDbContext, THandler&gt;(topic);
/// </code>
/// </summary>
public static class EventingRegistration
{
    /// <summary>The <c>Events</c> options, the event metrics and the publish status every transport shares.</summary>
    public static EventingBuilder AddEventing(this WebApplicationBuilder builder)
    {
        var transport = EventsOptions.ResolveTransport(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<EventsOptions>().Bind(builder.Configuration.GetSection(EventsOptions.Section));
        services.TryAddSingleton<EventMetrics>();
        services.TryAddSingleton<PublishStatus>();
        return new EventingBuilder(builder, transport);
    }
}
