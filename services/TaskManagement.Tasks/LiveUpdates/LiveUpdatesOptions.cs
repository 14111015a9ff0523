namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>Configuration section <c>LiveUpdates</c>: the <c>GET /api/tasks/stream</c> server-sent events.</summary>
public sealed class LiveUpdatesOptions
{
    public const string Section = "LiveUpdates";

    /// <summary>A <c>: heartbeat</c> comment after this long without output, so proxies keep the connection.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Events held for one stream; a stream whose buffer is full is a slow reader and is closed.</summary>
    public int BufferSize { get; set; } = 256;

    /// <summary>Most events one <c>Last-Event-ID</c> replay sends; more missed events means <c>event: reset</c>.</summary>
    public int ReplayLimit { get; set; } = 1000;

    /// <summary>How often open streams are checked for revocation, token expiry and a due heartbeat.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The <c>retry:</c> field sent first: the client's reconnection delay in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;
}
