using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TaskManagement.Testing;

/// <summary>
/// A raw RabbitMQ.Client subscriber (no MassTransit), as any third-party consumer would write it: a temporary
/// exclusive queue bound to the topic exchanges, declared with the same flags as the services and Dapr use.
/// </summary>
public sealed class AmqpEventListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<AmqpDelivery> _deliveries = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private AmqpEventListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyCollection<AmqpDelivery> Deliveries => [.. _deliveries];

    /// <summary>Settings that point a service's RabbitMQ transport at the test broker (optionally through a proxy port).</summary>
    public static Dictionary<string, string?> ServiceSettings(int? port = null) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Events:Transport"] = "rabbitmq",
        ["Events:RabbitMq:Host"] = Infrastructure.AmqpHost,
        ["Events:RabbitMq:Port"] = (port ?? Infrastructure.AmqpPort).ToString(CultureInfo.InvariantCulture),
        ["Events:RabbitMq:Username"] = Infrastructure.AmqpUser,
        ["Events:RabbitMq:Password"] = Infrastructure.AmqpPassword,
    };

    public static Task<IConnection> ConnectAsync() => new ConnectionFactory
    {
        HostName = Infrastructure.AmqpHost,
        Port = Infrastructure.AmqpPort,
        UserName = Infrastructure.AmqpUser,
        Password = Infrastructure.AmqpPassword,
        ClientProvidedName = "taskmanagement-tests",
    }.CreateConnectionAsync();

    /// <summary>Declares the topic exchanges exactly as Dapr's component and the services do: fanout, durable, not auto-delete.</summary>
    public static Task DeclareTopicAsync(IChannel channel, string exchange) =>
        channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);

    public static async Task<AmqpEventListener> StartAsync(params string[] exchanges)
    {
        var connection = await ConnectAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        foreach (var exchange in exchanges)
        {
            await DeclareTopicAsync(channel, exchange);
            await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "");
        }

        var listener = new AmqpEventListener(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, e) =>
        {
            listener._deliveries.Enqueue(new AmqpDelivery(e.Exchange, e.Body.ToArray(), e.BasicProperties, DateTimeOffset.UtcNow));
            listener._arrived.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return listener;
    }

    /// <summary>Waits until <paramref name="count"/> deliveries match, then returns all matches so far.</summary>
    public async Task<List<AmqpDelivery>> WaitForAsync(Func<AmqpDelivery, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var matches = _deliveries.Where(match).ToList();
            if (matches.Count >= count)
            {
                return matches;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Expected {count} matching deliveries, got {matches.Count} (of {_deliveries.Count}) within the timeout.");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Deliveries whose CloudEvent subject is <paramref name="subject"/> (body parsed leniently).</summary>
    public static Func<AmqpDelivery, bool> Subject(string subject, string? type = null) => d =>
    {
        try
        {
            var json = d.Json;
            return json.TryGetProperty("subject", out var s) && s.GetString() == subject
                && (type is null || (json.TryGetProperty("type", out var t) && t.GetString() == type));
        }
        catch (JsonException)
        {
            return false;
        }
    };

    /// <summary>Publishes raw bytes the way a foreign publisher (e.g. daprd) would.</summary>
    public static async Task PublishAsync(string exchange, byte[] body, string contentType, bool persistent = true)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await DeclareTopicAsync(channel, exchange);
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = persistent ? DeliveryModes.Persistent : DeliveryModes.Transient };
        await channel.BasicPublishAsync(exchange, routingKey: "", mandatory: false, properties, body);
    }

    /// <summary>Drains up to <paramref name="max"/> messages from a queue with basic.get (e.g. a dead-letter queue).</summary>
    public static async Task<List<AmqpDelivery>> GetAsync(string queue, int max = 100)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<AmqpDelivery>();
        while (messages.Count < max && await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add(new AmqpDelivery(result.Exchange, result.Body.ToArray(), result.BasicProperties, DateTimeOffset.UtcNow));
        }

        return messages;
    }

    /// <summary>Message count of a queue, or null when it does not exist.</summary>
    public static async Task<uint?> QueueDepthAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    /// <summary>Consumers attached to a queue, or null when it does not exist.</summary>
    public static async Task<uint?> QueueConsumersAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    /// <summary>Removes queues and exchanges a test created (names unique per test), ignoring missing ones.</summary>
    public static async Task DeleteAsync(IEnumerable<string> queues, IEnumerable<string>? exchanges = null)
    {
        await using var connection = await ConnectAsync();
        foreach (var queue in queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }

        foreach (var exchange in exchanges ?? [])
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeleteAsync(exchange);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        _arrived.Dispose();
    }
}
