using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Eventing.RabbitMq;

/// <summary>
/// The MassTransit side of a subscription: reads the delivery's raw bytes (whatever its content type: Dapr
/// publishes text/plain), parses them as a CloudEvent and hands them to the inbox processor. A malformed
/// message is not retried; handler failures are, by the endpoint's retry policy, then go to the error queue.
/// </summary>
internal sealed class CloudEventConsumer(EventSubscription subscription, IServiceScopeFactory scopes, EventMetrics metrics, int retryLimit)
    : IConsumer<CloudEventDelivery>
{
    public async Task Consume(ConsumeContext<CloudEventDelivery> context)
    {
        try
        {
            var incoming = CloudEventFormatter.Parse(context.ReceiveContext.Body.GetBytes());
            await using var scope = scopes.CreateAsyncScope();
            await subscription.Process(scope.ServiceProvider, incoming, context.CancellationToken);
        }
        catch (MalformedEventException)
        {
            metrics.DeadLettered(subscription.Topic, "malformed");
            throw;
        }
        catch (Exception) when (context.GetRetryAttempt() >= retryLimit)
        {
            metrics.DeadLettered(subscription.Topic, "retries_exhausted");
            throw;
        }
    }
}
