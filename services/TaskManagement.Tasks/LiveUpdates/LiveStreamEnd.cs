namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>Why a stream ended (the <c>reason</c> tag of the closed-streams metric).</summary>
public enum LiveStreamEnd
{
    Open = 0,
    Client,
    Expired,
    Revoked,
    SlowReader,
    ShuttingDown,
}
