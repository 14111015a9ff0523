using Microsoft.Extensions.Options;
using TaskManagement.Tasks.Revocation;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>
/// One timer for all streams of the replica: ends those whose token was revoked (account deleted, credentials changed:
/// the revocation snapshot) or expired, and queues a heartbeat on those that were quiet for the heartbeat interval.
/// </summary>
public sealed class LiveStreamWatchdog(LiveStreamHub hub, RevocationSnapshot revocations, IOptions<LiveUpdatesOptions> options, TimeProvider clock)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Check(clock.GetUtcNow());
        }
    }

    internal void Check(DateTimeOffset now)
    {
        foreach (var stream in hub.Snapshot())
        {
            if (revocations.IsRevoked(stream.UserId, stream.IssuedAt))
            {
                stream.Close(LiveStreamEnd.Revoked);
            }
            else if (now >= stream.ExpiresAt)
            {
                stream.Close(LiveStreamEnd.Expired);
            }
            else if (now - stream.LastOutput >= options.Value.HeartbeatInterval)
            {
                stream.Wrote(now); // one heartbeat per quiet interval, even before the writer gets to it
                if (!stream.TryEnqueue(LiveEvent.Heartbeat))
                {
                    hub.DropSlow(stream);
                }
            }
        }
    }
}
