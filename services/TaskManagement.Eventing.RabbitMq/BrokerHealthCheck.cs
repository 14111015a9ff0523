using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TaskManagement.Eventing.RabbitMq;

/// <summary>
/// RabbitMQ readiness: the broker port answers and the relay's last publish succeeded. Reports Degraded, never
/// Unhealthy: the outbox keeps events while the broker is away, so a broker outage must not take the API out
/// of rotation (the body of /health/ready still shows it).
/// </summary>
internal sealed class BrokerHealthCheck(IOptions<EventsOptions> options, PublishStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var rabbit = options.Value.RabbitMq;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(rabbit.Host, rabbit.Port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"RabbitMQ at {rabbit.Host}:{rabbit.Port} unreachable; events wait in the outbox.", ex);
        }

        var (error, since) = status.Current;
        return error is null
            ? HealthCheckResult.Healthy($"RabbitMQ at {rabbit.Host}:{rabbit.Port} reachable.")
            : HealthCheckResult.Degraded($"Publishing has failed since {since:o}: {error}");
    }
}
