using System.Threading.RateLimiting;
using TaskManagement.Auth.Data;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Features;

/// <summary>
/// Login attempts per client address and username: one attacker address can exhaust only its own
/// attempts at a name, never the user's attempts from elsewhere. The name is keyed in the form the
/// database compares it (<see cref="UsernameComparison"/>), so spellings it would match share one bucket.
/// </summary>
public sealed class LoginThrottle(RateLimitingOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options[RateLimitPolicies.Login].PermitLimit,
            Window = options[RateLimitPolicies.Login].Window,
            QueueLimit = 0,
        }));

    /// <summary>Null when allowed; otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string clientAddress, string usernameKey)
    {
        using var lease = _limiter.AttemptAcquire($"{clientAddress}|{usernameKey}");
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options[RateLimitPolicies.Login].Window;
    }

    public void Dispose() => _limiter.Dispose();
}
