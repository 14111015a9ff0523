using Microsoft.Extensions.Options;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>
/// This replica's open streams by user. The broadcast consumer forwards each task event to the streams of its owner
/// only; a stream that cannot take it (buffer full) is closed and counted as a dropped slow client.
/// </summary>
public sealed class LiveStreamHub
{
    private readonly Dictionary<Guid, List<LiveStream>> _byUser = [];
    private readonly Lock _gate = new();
    private readonly TasksMetrics _metrics;
    private readonly LiveUpdatesOptions _options;
    private readonly TimeProvider _clock;

    public LiveStreamHub(TasksMetrics metrics, IOptions<LiveUpdatesOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        _metrics = metrics;
        _options = options.Value;
        _clock = clock;
        // Open streams would hold a graceful shutdown until its timeout; they end first (clients reconnect elsewhere).
        lifetime.ApplicationStopping.Register(() => CloseAll(LiveStreamEnd.ShuttingDown));
    }

    public LiveStream Open(Guid userId, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var stream = new LiveStream(userId, issuedAt, expiresAt, _options.BufferSize, _clock.GetUtcNow());
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var streams))
            {
                _byUser[userId] = streams = [];
            }

            streams.Add(stream);
        }

        _metrics.StreamOpened();
        return stream;
    }

    public void Remove(LiveStream stream)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(stream.UserId, out var streams) || !streams.Remove(stream))
            {
                return;
            }

            if (streams.Count == 0)
            {
                _byUser.Remove(stream.UserId);
            }
        }

        stream.Close(LiveStreamEnd.Client);
        _metrics.StreamClosed(stream.End);
    }

    /// <summary>Hands <paramref name="live"/> to every stream of <paramref name="userId"/> on this replica.</summary>
    public void Forward(Guid userId, LiveEvent live)
    {
        LiveStream[] streams;
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var list))
            {
                return;
            }

            streams = [.. list];
        }

        foreach (var stream in streams)
        {
            if (stream.TryEnqueue(live))
            {
                _metrics.EventForwarded();
            }
            else
            {
                DropSlow(stream);
            }
        }
    }

    /// <summary>Closes a stream whose buffer is full.</summary>
    public void DropSlow(LiveStream stream)
    {
        if (stream.Close(LiveStreamEnd.SlowReader))
        {
            _metrics.SlowClientDropped();
        }
    }

    /// <summary>A copy of the open streams, for the watchdog.</summary>
    public LiveStream[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _byUser.Values.SelectMany(s => s)];
        }
    }

    private void CloseAll(LiveStreamEnd reason)
    {
        foreach (var stream in Snapshot())
        {
            stream.Close(reason);
        }
    }
}
