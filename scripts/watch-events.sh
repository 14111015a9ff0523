#!/usr/bin/env bash
# Prints every CloudEvent published on the topic exchanges while it runs (Ctrl+C to stop).
#
#   scripts/watch-events.sh            # users and tasks
#   scripts/watch-events.sh users      # one topic
#
# A temporary exclusive, auto-delete queue is bound to each exchange (declared with the same flags as the
# services and Dapr use: fanout, durable, not auto-delete), so nothing is taken from real subscribers.
# Broker settings come from the environment (TASKMGMT_AMQP_HOST/PORT/USER/PASSWORD) or .data/infra.env.
# Runs a small C# file with `dotnet run` (RabbitMQ.Client from the NuGet cache); no other tools needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -f "$ROOT/.data/infra.env" ]; then
  # shellcheck disable=SC1091
  set -a; . "$ROOT/.data/infra.env"; set +a
fi
export TASKMGMT_AMQP_HOST="${TASKMGMT_AMQP_HOST:-127.0.0.1}" TASKMGMT_AMQP_PORT="${TASKMGMT_AMQP_PORT:-5672}"
export TASKMGMT_AMQP_USER="${TASKMGMT_AMQP_USER:-guest}" TASKMGMT_AMQP_PASSWORD="${TASKMGMT_AMQP_PASSWORD:-guest}"

# Outside the repository, so its central package management and global.json do not apply.
WORK="${TMPDIR:-/tmp}/taskmanagement-watch-events"
mkdir -p "$WORK"
cat >"$WORK/watch-events.cs" <<'CS'
#:package RabbitMQ.Client@7.2.2
#:property PublishAot=false
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

var topics = args.Length > 0 ? args : ["users", "tasks"];
var factory = new ConnectionFactory
{
    HostName = Environment.GetEnvironmentVariable("TASKMGMT_AMQP_HOST")!,
    Port = int.Parse(Environment.GetEnvironmentVariable("TASKMGMT_AMQP_PORT")!),
    UserName = Environment.GetEnvironmentVariable("TASKMGMT_AMQP_USER")!,
    Password = Environment.GetEnvironmentVariable("TASKMGMT_AMQP_PASSWORD")!,
    ClientProvidedName = "watch-events",
};
await using var connection = await factory.CreateConnectionAsync();
await using var channel = await connection.CreateChannelAsync();
var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
foreach (var topic in topics)
{
    await channel.ExchangeDeclareAsync(topic, ExchangeType.Fanout, durable: true, autoDelete: false);
    await channel.QueueBindAsync(queue, topic, "");
}

var pretty = new JsonSerializerOptions { WriteIndented = true };
var consumer = new AsyncEventingBasicConsumer(channel);
consumer.ReceivedAsync += (_, e) =>
{
    var text = Encoding.UTF8.GetString(e.Body.Span);
    string shown;
    try { shown = JsonSerializer.Serialize(JsonDocument.Parse(text).RootElement, pretty); }
    catch (JsonException) { shown = text; }
    Console.WriteLine($"--- {DateTime.UtcNow:HH:mm:ss.fff} exchange={e.Exchange} content-type={e.BasicProperties.ContentType} delivery-mode={(int)e.BasicProperties.DeliveryMode}");
    Console.WriteLine(shown);
    return Task.CompletedTask;
};
await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
Console.WriteLine($"Watching {string.Join(", ", topics)} on {factory.HostName}:{factory.Port} (Ctrl+C to stop)");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
CS
cd "$WORK"
exec dotnet run --file watch-events.cs -- "$@"
