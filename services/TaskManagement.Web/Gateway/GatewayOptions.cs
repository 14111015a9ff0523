namespace TaskManagement.Web.Gateway;

/// <summary>
/// Local-mode gateway settings (section <c>Gateway</c>). The routes, timeouts and retries mirror the
/// Istio VirtualService, so the browser sees the same behaviour with or without a mesh.
/// </summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>True in local mode. In Kubernetes the mesh routes <c>/api</c>, and Web serves only the app.</summary>
    public bool Enabled { get; set; } = true;

    public Uri AuthUrl { get; set; } = new("http://localhost:5101");

    public Uri TasksUrl { get; set; } = new("http://localhost:5102");

    /// <summary>Whole-request timeout for <c>/api/auth/*</c> (VirtualService: 10s).</summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whole-request timeout for <c>/api/tasks/*</c> (VirtualService: 15s).</summary>
    public TimeSpan TasksTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the live task stream (<c>/api/tasks/stream</c>) may go without a byte before the gateway drops it:
    /// above the service's heartbeat (<c>LiveUpdates:HeartbeatInterval</c>, 20 s). The stream has no whole-request timeout.
    /// </summary>
    public TimeSpan StreamActivityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries after the first try (VirtualService <c>retries.attempts: 2</c>), idempotent methods only.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>First back-off between tries; doubles each retry (Envoy's default base interval is 25 ms).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(25);
}
