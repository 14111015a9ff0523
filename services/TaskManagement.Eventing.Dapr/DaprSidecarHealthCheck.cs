using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskManagement.Eventing.Dapr;

/// <summary>
/// Reports whether the sidecar's outbound side (components such as the pub/sub broker) is ready, via
/// Dapr's <c>GET /v1.0/healthz/outbound</c>. Degraded, not Unhealthy: the outbox keeps events while the broker
/// is away, so a broker outage must not take the API out of rotation.
/// </summary>
internal sealed class DaprSidecarHealthCheck(IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var http = clients.CreateClient(DaprEventTransport.HttpClientName);
            using var response = await http.GetAsync(new Uri("v1.0/healthz/outbound", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("Dapr sidecar and its components are ready.")
                : HealthCheckResult.Degraded($"Dapr sidecar answered {(int)response.StatusCode}; events wait in the outbox.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Degraded("Dapr sidecar unreachable; events wait in the outbox.", ex);
        }
    }
}
