using System.Text.Json;
using Dapr;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskManagement.ServiceDefaults.Inbox;
using TaskManagement.ServiceDefaults.Outbox;

namespace TaskManagement.ServiceDefaults.Events;

/// <summary>
/// Wiring for events: <see cref="AddEventPublishing{TDbContext}"/> (outbox relay + transport),
/// <see cref="AddEventConsumer{TDbContext, THandler}"/> (inbox + MassTransit endpoint or Dapr subscription) and
/// <see cref="MapEventSubscriptions"/>. The transport follows <c>Events:Transport</c> (see docs/events.md).
/// </summary>
public static class EventsRegistration
{
    private const string RawBodyKey = "TaskManagement.Events.RawBody";

    /// <summary>
    /// Publishes the rows <typeparamref name="TDbContext"/> stages with <c>AddEvent</c>: registers the outbox relay,
    /// the transport, the commit signal, the broker readiness check and the event metrics.
    /// </summary>
    public static WebApplicationBuilder AddEventPublishing<TDbContext>(this WebApplicationBuilder builder)
        where TDbContext : DbContext, IOutboxDbContext
    {
        var transport = builder.AddEventTransport();
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxCommitInterceptor>();
        builder.Services.ConfigureDbContext<TDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>()));
        if (transport != EventTransportKind.None)
        {
            // Registered after the transport, so it stops first on shutdown.
            builder.Services.AddSingleton<OutboxRelay<TDbContext>>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TDbContext>>());
        }

        return builder;
    }

    /// <summary>
    /// Consumes <paramref name="topic"/> with <typeparamref name="THandler"/> behind the inbox: a MassTransit receive
    /// endpoint on queue <c>{consumer group}-{topic}</c> in RabbitMQ mode, a Dapr subscription at
    /// <c>POST /api/events/{topic}</c> in Dapr mode (mapped by <see cref="MapEventSubscriptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddEventConsumer<TDbContext, THandler>(this WebApplicationBuilder builder, string topic)
        where TDbContext : DbContext, IInboxDbContext
        where THandler : class, IIntegrationEventHandler<TDbContext>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        builder.AddEventTransport();
        builder.Services.TryAddScoped<THandler>();
        builder.Services.TryAddScoped<InboxProcessor<TDbContext, THandler>>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InboxPruner<TDbContext>>());
        builder.Services.AddSingleton(new EventSubscription(
            topic,
            (services, incoming, ct) => services.GetRequiredService<InboxProcessor<TDbContext, THandler>>().ProcessAsync(incoming, ct),
            async (services, deadLetter, ct) =>
            {
                var db = services.GetRequiredService<TDbContext>();
                db.DeadLetters.Add(deadLetter);
                await db.SaveChangesAsync(ct);
            }));
        return builder;
    }

    /// <summary>
    /// Dapr mode: the CloudEvents middleware, <c>/dapr/subscribe</c> and one <c>POST /api/events/{topic}</c> per
    /// consumed topic (dead-letter topic <c>{topic}-deadletter</c>). RabbitMQ mode: nothing to map.
    /// Call after <c>UseServiceDefaults</c>.
    /// </summary>
    public static WebApplication MapEventSubscriptions(this WebApplication app)
    {
        if (EventsOptions.ResolveTransport(app.Configuration) != EventTransportKind.Dapr)
        {
            return app;
        }

        var options = app.Services.GetRequiredService<IOptions<EventsOptions>>().Value;
        var subscriptions = app.Services.GetServices<EventSubscription>().ToList();
        app.UseWhen(IsSubscriptionDelivery, branch => branch.Use(KeepStructuredBodyAsync));
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        foreach (var subscription in subscriptions)
        {
            app.MapPost(subscription.Route, (HttpContext http, EventMetrics metrics, ILoggerFactory loggers, CancellationToken ct) =>
                    DeliverAsync(subscription, http, metrics, loggers, ct))
                .WithTopic(new TopicOptions
                {
                    PubsubName = options.Dapr.PubSubName,
                    Name = subscription.Topic,
                    DeadLetterTopic = subscription.DeadLetterTopic,
                })
                .ExcludeFromDescription()
                .DisableRateLimiting();

            // Raw payload: whatever Dapr gave up on arrives here byte for byte, even if it is not JSON.
            app.MapPost(subscription.DeadLetterRoute, (HttpContext http, EventMetrics metrics, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct) =>
                    ParkAsync(subscription, http, metrics, clock, loggers, ct))
                .WithTopic(new TopicOptions
                {
                    PubsubName = options.Dapr.PubSubName,
                    Name = subscription.DeadLetterTopic,
                    EnableRawPayload = true,
                })
                .ExcludeFromDescription()
                .DisableRateLimiting();
        }

        return app;
    }

    /// <summary>Stores a dead letter in the consumer's database; RETRY until it is stored, so none is lost.</summary>
    private static async Task<IResult> ParkAsync(EventSubscription subscription, HttpContext http, EventMetrics metrics, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        if (configuration["APP_API_TOKEN"] is { Length: > 0 } token && http.Request.Headers["dapr-api-token"] != token)
        {
            return Results.Unauthorized();
        }

        var original = DeadLetterBody.Unwrap(http.Items[RawBodyKey] as byte[] ?? []);
        try
        {
            await subscription.Park(http.RequestServices, new DeadLetter
            {
                Id = Guid.CreateVersion7(),
                Topic = subscription.Topic,
                EventId = DeadLetterBody.EventId(original),
                Body = DeadLetterBody.AsText(original),
                ReceivedAt = clock.GetUtcNow(),
            }, ct);
            metrics.DeadLettered(subscription.Topic, "parked");
            return Results.Json(new DaprStatus("SUCCESS"));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(EventsRegistration)).LogWarning(ex, "Storing a dead letter of {Topic} failed; asking Dapr to retry", subscription.Topic);
            return Results.Json(new DaprStatus("RETRY"));
        }
    }

    /// <summary>Registers the transport once, whichever of the public methods is called first.</summary>
    private static EventTransportKind AddEventTransport(this WebApplicationBuilder builder)
    {
        var transport = EventsOptions.ResolveTransport(builder.Configuration);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(EventMetrics)))
        {
            return transport;
        }

        services.AddOptions<EventsOptions>().Bind(builder.Configuration.GetSection(EventsOptions.Section));
        services.AddSingleton<EventMetrics>();
        services.AddSingleton<PublishStatus>();
        switch (transport)
        {
            case EventTransportKind.RabbitMq:
                AddMassTransit(builder);
                break;
            case EventTransportKind.Dapr:
                services.AddHttpClient<IEventTransport, DaprEventTransport>(http => DaprEventTransport.Configure(http, builder.Configuration));
                services.AddHttpClient(DaprEventTransport.HttpClientName, http =>
                {
                    DaprEventTransport.Configure(http, builder.Configuration);
                    http.Timeout = TimeSpan.FromSeconds(3);
                });
                services.AddDaprClient();
                services.AddHealthChecks().AddCheck<DaprSidecarHealthCheck>("broker", tags: [Health.Ready]);
                break;
            case EventTransportKind.None:
                break;
        }

        return transport;
    }

    private static void AddMassTransit(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var environment = builder.Environment;
        builder.Services.AddSingleton<IEventTransport, MassTransitEventTransport>();
        builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [Health.Ready]);
        builder.Services.AddMassTransit(bus =>
        {
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
            });
        });
    }

    /// <summary>The queue Dapr would declare for the same consumer group and topic, bound to the topic exchange.</summary>
    private static void ConfigureEndpoint(IRabbitMqReceiveEndpointConfigurator endpoint, EventSubscription subscription, ConsumerOptions options, Func<CloudEventConsumer> consumer)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.Durable = true;
        endpoint.AutoDelete = false;
        endpoint.SetQueueArgument("x-queue-type", "classic");
        endpoint.PrefetchCount = options.PrefetchCount;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        endpoint.Bind(subscription.Topic, exchange =>
        {
            exchange.ExchangeType = "fanout";
            exchange.Durable = true;
            exchange.AutoDelete = false;
        });
        // Any body is accepted as JSON of any type; the consumer parses the CloudEvent from the raw bytes.
        endpoint.ClearSerialization();
        endpoint.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
            retry.Ignore<MalformedEventException>();
        });
        endpoint.Consumer(consumer);
    }

    private static bool IsSubscriptionDelivery(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/api/events");

    /// <summary>
    /// Dapr's CloudEvents middleware hands endpoints only <c>data</c>; the inbox needs the envelope's <c>id</c>, so
    /// the original structured event is kept for the endpoint, parsed by the same formatter as on RabbitMQ.
    /// A body the middleware cannot read at all is answered DROP (dead-letter topic), not retried forever.
    /// </summary>
    private static async Task KeepStructuredBodyAsync(HttpContext http, RequestDelegate next)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        http.Items[RawBodyKey] = buffer.ToArray();
        buffer.Position = 0;
        http.Request.Body = buffer;
        try
        {
            await next(http);
        }
        catch (JsonException) when (!http.Response.HasStarted)
        {
            http.RequestServices.GetRequiredService<EventMetrics>().DeadLettered(http.Request.Path.Value ?? "", "malformed");
            await Results.Json(new DaprStatus("DROP")).ExecuteAsync(http);
        }
    }

    private static async Task<IResult> DeliverAsync(EventSubscription subscription, HttpContext http, EventMetrics metrics, ILoggerFactory loggers, CancellationToken ct)
    {
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        // daprd sends APP_API_TOKEN as dapr-api-token when the app requires it.
        if (configuration["APP_API_TOKEN"] is { Length: > 0 } token && http.Request.Headers["dapr-api-token"] != token)
        {
            return Results.Unauthorized();
        }

        var logger = loggers.CreateLogger(typeof(EventsRegistration));
        try
        {
            var body = http.Items[RawBodyKey] as byte[] ?? [];
            var incoming = CloudEventFormatter.Parse(body);
            await subscription.Process(http.RequestServices, incoming, ct);
            return Results.Json(new DaprStatus("SUCCESS"));
        }
        catch (MalformedEventException ex)
        {
            metrics.DeadLettered(subscription.Topic, "malformed");
            logger.LogWarning(ex, "Dropping malformed delivery on {Topic} to {DeadLetterTopic}", subscription.Topic, subscription.DeadLetterTopic);
            return Results.Json(new DaprStatus("DROP"));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Dapr redelivers per its resiliency policy; after that the message goes to the dead-letter topic.
            logger.LogWarning(ex, "Handling a delivery on {Topic} failed; asking Dapr to retry", subscription.Topic);
            return Results.Json(new DaprStatus("RETRY"));
        }
    }

    /// <summary>The body Dapr reads from a subscription endpoint: SUCCESS, RETRY or DROP.</summary>
    private sealed record DaprStatus(string Status);
}
