using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Eventing;

/// <summary>
/// Returned by <c>AddEventing</c>: the transports (<c>AddRabbitMqTransport</c>, <c>AddDaprTransport</c>), the outbox
/// (<c>AddEventPublishing</c>) and the inbox (<c>AddEventConsumer</c>) register themselves through it, in one chain.
/// </summary>
public sealed class EventingBuilder(WebApplicationBuilder host, EventTransportKind transport)
{
    public WebApplicationBuilder Host { get; } = host;

    public IServiceCollection Services => Host.Services;

    /// <summary><c>Events:Transport</c> resolved (see <see cref="EventsOptions.ResolveTransport"/>).</summary>
    public EventTransportKind Transport { get; } = transport;
}
