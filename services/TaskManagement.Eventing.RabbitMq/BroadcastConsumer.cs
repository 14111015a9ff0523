using MassTransit;
using Microsoft.Extensions.Logging;

namespace TaskManagement.Eventing.RabbitMq;

/// <summary>
/// The MassTransit side of a broadcast: parses the CloudEvent and hands it to the handler. Never throws: a failed live
/// delivery is logged and dropped (no retry, no error queue, which would outlive this replica's auto-delete queue).
/// </summary>
internal sealed partial class BroadcastConsumer(EventBroadcast broadcast, IServiceProvider services, ILogger logger)
    : IConsumer<CloudEventDelivery>
{
    public async Task Consume(ConsumeContext<CloudEventDelivery> context)
    {
        try
        {
            var incoming = CloudEventFormatter.Parse(context.ReceiveContext.Body.GetBytes());
            await broadcast.Deliver(services, incoming.Event, context.CancellationToken);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            LogDropped(logger, ex, broadcast.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping a live event of {Topic}")]
    private static partial void LogDropped(ILogger logger, Exception exception, string topic);
}
