using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskManagement.Eventing.RabbitMq;
using TaskManagement.ServiceDefaults;

namespace TaskManagement.Eventing;

/// <summary>
/// The RabbitMQ transport: the outbox publishes to one durable fanout exchange per topic, and each subscription is a
/// receive endpoint on the queue Dapr's pubsub.rabbitmq would declare, so both transports share the broker layout.
/// </summary>
public static class RabbitMqRegistration
{
    /// <summary>
    /// Publishes to, and consumes from, RabbitMQ through MassTransit when <c>Events:Transport</c> resolves to
    /// <c>rabbitmq</c> (the default without a Dapr sidecar); otherwise registers nothing. Register it before the
    /// outbox, so the relay stops before the bus on shutdown.
    /// </summary>
    public static EventingBuilder AddRabbitMqTransport(this EventingBuilder eventing)
    {
        if (eventing.Transport != EventTransportKind.RabbitMq)
        {
            return eventing;
        }

        var configuration = eventing.Host.Configuration;
        var environment = eventing.Host.Environment;
        eventing.Services.AddSingleton<IEventTransport, MassTransitEventTransport>();
        eventing.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [Health.Ready]);
        eventing.Services.AddMassTransit(bus =>
        {
            // MassTransit otherwise posts usage telemetry to an external host five minutes after start: nothing
            // leaves the cluster unasked (and egress is closed there anyway).
            bus.DisableUsageTelemetry();
            // MassTransit's own check stays out of readiness: a publish-only bus reports Healthy while the
            // connection is down. BrokerHealthCheck ("broker") reports it instead.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Clear();
                health.Tags.Add("masstransit");
            });
            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<EventsOptions>>().Value;
                var rabbit = options.RabbitMq;
                cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                    host.PublisherConfirmation = true;
                    host.ConnectionName(environment.ApplicationName);
                });

                var group = options.ResolveConsumerGroup(configuration, environment);
                var scopes = context.GetRequiredService<IServiceScopeFactory>();
                var metrics = context.GetRequiredService<EventMetrics>();
                foreach (var subscription in context.GetServices<EventSubscription>())
                {
                    cfg.ReceiveEndpoint(subscription.QueueName(group), endpoint =>
                        ConfigureEndpoint(endpoint, subscription, options.Consumer, () => new CloudEventConsumer(subscription, scopes, metrics, options.Consumer.RetryLimit)));
                }

                var instance = options.ResolveInstanceName(configuration);
                var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RabbitMqRegistration));
                foreach (var broadcast in context.GetServices<EventBroadcast>())
                {
                    cfg.ReceiveEndpoint(broadcast.QueueName(group, instance), endpoint =>
                        ConfigureBroadcastEndpoint(endpoint, broadcast, options.Consumer, () => new BroadcastConsumer(broadcast, context, logger)));
                }
            });
        });
        return eventing;
    }

    /// <summary>
    /// This replica's own queue on the topic exchange: non-durable and auto-delete, so it goes with the replica (a
    /// RabbitMQ policy with <c>expires</c> backs that up). No retry: live delivery is best-effort, replay covers gaps.
    /// </summary>
    private static void ConfigureBroadcastEndpoint(IRabbitMqReceiveEndpointConfigurator endpoint, EventBroadcast broadcast, ConsumerOptions options, Func<BroadcastConsumer> consumer)
    {
        // One at a time, in queue order: a live client applies events as they come (the handler only enqueues).
        ConfigureTopicQueue(endpoint, broadcast.Topic, durable: false, options.PrefetchCount, concurrentMessageLimit: 1);
        endpoint.Consumer(consumer);
    }

    /// <summary>The queue Dapr would declare for the same consumer group and topic, bound to the topic exchange.</summary>
    private static void ConfigureEndpoint(IRabbitMqReceiveEndpointConfigurator endpoint, EventSubscription subscription, ConsumerOptions options, Func<CloudEventConsumer> consumer)
    {
        ConfigureTopicQueue(endpoint, subscription.Topic, durable: true, options.PrefetchCount, options.ConcurrentMessageLimit);
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
            retry.Ignore<MalformedEventException>();
        });
        endpoint.Consumer(consumer);
    }

    /// <summary>
    /// A classic queue bound to the topic's fanout exchange, which is declared exactly as by every other declarer
    /// (durable, not auto-delete; a mismatch is a 406 from RabbitMQ). A durable queue outlives its consumers, a
    /// non-durable one is deleted with its last one. Any body is accepted as JSON of any type: the consumer parses
    /// the CloudEvent from the raw bytes.
    /// </summary>
    private static void ConfigureTopicQueue(IRabbitMqReceiveEndpointConfigurator endpoint, string topic, bool durable, int prefetchCount, int concurrentMessageLimit)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.Durable = durable;
        endpoint.AutoDelete = !durable;
        endpoint.SetQueueArgument("x-queue-type", "classic");
        endpoint.PrefetchCount = prefetchCount;
        endpoint.ConcurrentMessageLimit = concurrentMessageLimit;
        endpoint.Bind(topic, exchange =>
        {
            exchange.ExchangeType = "fanout";
            exchange.Durable = true;
            exchange.AutoDelete = false;
        });
        endpoint.ClearSerialization();
        endpoint.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType, isDefault: true);
    }
}
