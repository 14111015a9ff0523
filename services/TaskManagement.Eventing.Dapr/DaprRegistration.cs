using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskManagement.Eventing.Dapr;
using TaskManagement.ServiceDefaults;

namespace TaskManagement.Eventing;

/// <summary>
/// The Dapr transport: <see cref="AddDaprTransport"/> (publishing through the sidecar, its readiness check) and
/// <see cref="MapEventSubscriptions"/> (the subscription and dead-letter endpoints daprd calls). Both do nothing
/// unless <c>Events:Transport</c> resolves to <c>dapr</c> (see docs/events.md).
/// </summary>
public static class DaprRegistration
{
    private const string RawBodyKey = "TaskManagement.Events.RawBody";

    /// <summary>
    /// Publishes through the Dapr sidecar and serves Dapr subscriptions when <c>Events:Transport</c> resolves to
    /// <c>dapr</c> (a sidecar address is configured); otherwise registers nothing.
    /// </summary>
    public static EventingBuilder AddDaprTransport(this EventingBuilder eventing)
    {
        if (eventing.Transport != EventTransportKind.Dapr)
        {
            return eventing;
        }

        var services = eventing.Services;
        var configuration = eventing.Host.Configuration;
        services.AddHttpClient<IEventTransport, DaprEventTransport>(http => DaprEventTransport.Configure(http, configuration));
        services.AddHttpClient(DaprEventTransport.HttpClientName, http =>
        {
            DaprEventTransport.Configure(http, configuration);
            http.Timeout = TimeSpan.FromSeconds(3);
        });
        services.AddDaprClient();
        services.AddHealthChecks().AddCheck<DaprSidecarHealthCheck>("broker", tags: [Health.Ready]);
        return eventing;
    }

    /// <summary>
    /// Dapr mode: the CloudEvents middleware, <c>/dapr/subscribe</c>, one <c>POST /api/events/{topic}</c> per
    /// consumed topic (dead-letter topic <c>{topic}-deadletter</c>) and one <c>POST /api/events/{topic}/live</c> per
    /// broadcast topic (on the per-pod component). RabbitMQ mode: nothing to map.
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

        // Broadcast topics: the per-pod component (consumerID {podName}) gives every pod its own queue. No dead-letter
        // topic: a live event that cannot be delivered is dropped, clients catch up by replay.
        foreach (var broadcast in app.Services.GetServices<EventBroadcast>())
        {
            app.MapPost(broadcast.Route, (HttpContext http, ILoggerFactory loggers, CancellationToken ct) => BroadcastAsync(broadcast, http, loggers, ct))
                .WithTopic(new TopicOptions { PubsubName = options.Dapr.LivePubSubName, Name = broadcast.Topic })
                .ExcludeFromDescription()
                .DisableRateLimiting();
        }

        return app;
    }

    /// <summary>Hands a broadcast delivery to its handler; SUCCESS whatever happens (DROP when it is not a CloudEvent).</summary>
    private static async Task<IResult> BroadcastAsync(EventBroadcast broadcast, HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        if (configuration["APP_API_TOKEN"] is { Length: > 0 } token && http.Request.Headers["dapr-api-token"] != token)
        {
            return Results.Unauthorized();
        }

        var logger = loggers.CreateLogger(typeof(DaprRegistration));
        try
        {
            var incoming = CloudEventFormatter.Parse(http.Items[RawBodyKey] as byte[] ?? []);
            await broadcast.Deliver(http.RequestServices, incoming.Event, ct);
        }
        catch (MalformedEventException ex)
        {
            logger.LogWarning(ex, "Dropping a malformed live delivery on {Topic}", broadcast.Topic);
            return Results.Json(new DaprStatus("DROP"));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Dropping a live event of {Topic}", broadcast.Topic);
        }

        return Results.Json(new DaprStatus("SUCCESS"));
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
            loggers.CreateLogger(typeof(DaprRegistration)).LogWarning(ex, "Storing a dead letter of {Topic} failed; asking Dapr to retry", subscription.Topic);
            return Results.Json(new DaprStatus("RETRY"));
        }
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

        var logger = loggers.CreateLogger(typeof(DaprRegistration));
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
