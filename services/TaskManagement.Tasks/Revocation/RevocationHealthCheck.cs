using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskManagement.Tasks.Revocation;

/// <summary>Not ready until the revocation table has been read once: until then every authenticated request waits.</summary>
internal sealed class RevocationHealthCheck(RevocationSnapshot snapshot) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(snapshot.Loaded.IsCompleted
            ? HealthCheckResult.Healthy($"{snapshot.Count} revoked credentials loaded.")
            : HealthCheckResult.Unhealthy("The token revocation list has not been read yet."));
}
