using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TaskManagement.ServiceDefaults.Events;

/// <summary>The relay's latest publish outcome, shared with the readiness check.</summary>
public sealed class PublishStatus
{
    private string? _lastError;
    private DateTimeOffset? _failingSince;

    public void Succeeded()
    {
        _lastError = null;
        _failingSince = null;
    }

    public void Failed(string error)
    {
        _lastError = error;
        _failingSince ??= DateTimeOffset.UtcNow;
    }

    public (string? Error, DateTimeOffset? Since) Current => (_lastError, _failingSince);
}

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
