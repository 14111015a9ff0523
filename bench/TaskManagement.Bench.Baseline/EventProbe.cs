using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TaskManagement.Bench.Baseline;

/// <summary>
/// Listens to the <c>tasks</c> exchange on its own exclusive, auto-delete queue (nothing is taken from real
/// subscribers) and keeps, per user, each event's commit-to-delivery time: receipt minus the CloudEvent
/// <c>time</c>, which the outbox stamps just before the task's transaction commits.
/// </summary>
public sealed class EventProbe(IConfiguration configuration) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<double>> _delays = new();
    private volatile bool _listening;

    /// <summary>True once the queue is bound and consumed: events published from now on are seen.</summary>
    public bool Listening => _listening;

    /// <summary>The events seen for <paramref name="user"/> and their commit-to-delivery percentiles in milliseconds.</summary>
    public ProbeStats Stats(Guid user)
    {
        var delays = _delays.TryGetValue(user, out var bag) ? bag.Order().ToArray() : [];
        double At(double q) => delays.Length == 0 ? 0 : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(q * delays.Length) - 1)];
        return new ProbeStats(delays.Length, At(0.5), At(0.99), delays.Length == 0 ? 0 : delays[^1]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var section = configuration.GetSection("Events:RabbitMq");
        var factory = new ConnectionFactory
        {
            HostName = section["Host"] ?? "localhost",
            Port = section.GetValue("Port", 5672),
            UserName = section["Username"] ?? "guest",
            Password = section["Password"] ?? "guest",
            ClientProvidedName = "bench-event-probe",
        };
        var connection = await factory.CreateConnectionAsync(stoppingToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken)).QueueName;
        await channel.ExchangeDeclareAsync("tasks", ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(queue, "tasks", "", cancellationToken: stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            Record(delivery.Body, DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, stoppingToken);
        _listening = true;
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        finally
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private void Record(ReadOnlyMemory<byte> body, DateTimeOffset received)
    {
        try
        {
            using var cloudEvent = JsonDocument.Parse(body);
            var root = cloudEvent.RootElement;
            if (root.TryGetProperty("time", out var time) && root.TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("userId", out var userId) && userId.TryGetGuid(out var user))
            {
                _delays.GetOrAdd(user, _ => []).Add((received - time.GetDateTimeOffset()).TotalMilliseconds);
            }
        }
        catch (JsonException)
        {
            // Not a structured CloudEvent: not one of the benchmark's.
        }
    }
}
