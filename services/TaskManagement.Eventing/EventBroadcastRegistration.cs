using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskManagement.Eventing;

/// <summary>Per-replica fan-out beside the competing consumers of <c>AddEventConsumer</c> (docs/events.md).</summary>
public static class EventBroadcastRegistration
{
    /// <summary>
    /// Every replica receives every event of <paramref name="topic"/> and hands it to <typeparamref name="THandler"/>
    /// (a singleton). No inbox, no retries, no dead letters: delivery is live and best-effort.
    /// </summary>
    public static EventingBuilder AddEventBroadcast<THandler>(this EventingBuilder eventing, string topic)
        where THandler : class, IEventBroadcastHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        eventing.Services.TryAddSingleton<THandler>();
        eventing.Services.AddSingleton(new EventBroadcast(
            topic,
            (provider, received, ct) => provider.GetRequiredService<THandler>().HandleAsync(received, ct)));
        return eventing;
    }
}
