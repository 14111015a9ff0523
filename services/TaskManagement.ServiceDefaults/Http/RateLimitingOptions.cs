namespace TaskManagement.ServiceDefaults.Http;

/// <summary>The <c>RateLimiting</c> configuration section: one fixed window per policy name.</summary>
public sealed class RateLimitingOptions
{
    public Dictionary<string, FixedWindowLimit> Policies { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [RateLimitPolicies.General] = new() { PermitLimit = 100, Window = TimeSpan.FromMinutes(15) },
        [RateLimitPolicies.Register] = new() { PermitLimit = 3, Window = TimeSpan.FromHours(1) },
        [RateLimitPolicies.Login] = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) },
        [RateLimitPolicies.TaskCreate] = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) },
    };

    public FixedWindowLimit this[string policy] => Policies[policy];
}
