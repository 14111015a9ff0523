using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace TaskManagement.Eventing;

/// <summary>
/// Maps a CloudEvent <c>type</c> to its contract record and to the handler that wants it: one route per
/// <see cref="IIntegrationEventHandler{TEvent}"/> a handler class implements, keyed by <c>TEvent.EventType</c>.
/// Types without a route are not dispatched (the inbox acknowledges and ignores them).
/// </summary>
public sealed class IntegrationEventDispatcher
{
    private static readonly ConcurrentDictionary<Type, IntegrationEventDispatcher> ByHandler = new();

    private static readonly MethodInfo RouteMethod =
        typeof(IntegrationEventDispatcher).GetMethod(nameof(RouteFor), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly FrozenDictionary<string, Func<object, ReceivedEvent, CancellationToken, Task>> _routes;

    private IntegrationEventDispatcher(Type handlerType)
    {
        var routes = new Dictionary<string, Func<object, ReceivedEvent, CancellationToken, Task>>(StringComparer.Ordinal);
        var contracts = handlerType.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IIntegrationEventHandler<>));
        foreach (var contract in contracts)
        {
            var (type, dispatch) = ((string, Func<object, ReceivedEvent, CancellationToken, Task>))RouteMethod
                .MakeGenericMethod(contract.GetGenericArguments()[0]).Invoke(null, null)!;
            if (!routes.TryAdd(type, dispatch))
            {
                throw new InvalidOperationException($"{handlerType.Name} handles {type} twice.");
            }
        }

        if (routes.Count == 0)
        {
            throw new InvalidOperationException($"{handlerType.Name} implements no IIntegrationEventHandler<TEvent>.");
        }

        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The CloudEvent types the handler acts on.</summary>
    public IReadOnlyCollection<string> EventTypes => _routes.Keys;

    /// <summary>The routes of <typeparamref name="THandler"/>, built once per handler type.</summary>
    public static IntegrationEventDispatcher For<THandler>()
        where THandler : class => ByHandler.GetOrAdd(typeof(THandler), type => new IntegrationEventDispatcher(type));

    public bool Handles(string eventType) => _routes.ContainsKey(eventType);

    /// <summary>
    /// Reads <c>data</c> as the record of <paramref name="received"/>'s type and calls the handler with it. Throws
    /// <see cref="JsonException"/> when the data does not match the record.
    /// </summary>
    public Task DispatchAsync(object handler, ReceivedEvent received, CancellationToken cancellationToken) =>
        _routes.TryGetValue(received.Type, out var dispatch)
            ? dispatch(handler, received, cancellationToken)
            : throw new InvalidOperationException($"No handler route for {received.Type}.");

    private static (string Type, Func<object, ReceivedEvent, CancellationToken, Task> Dispatch) RouteFor<TEvent>()
        where TEvent : IIntegrationEvent =>
        (TEvent.EventType, (handler, received, ct) => ((IIntegrationEventHandler<TEvent>)handler).HandleAsync(Read<TEvent>(received), received.Envelope, ct));

    private static TEvent Read<TEvent>(ReceivedEvent received) =>
        received.Data.Deserialize<TEvent>(IntegrationEventJson.Options)
        ?? throw new JsonException($"The data of {received.Type} is null.");
}
