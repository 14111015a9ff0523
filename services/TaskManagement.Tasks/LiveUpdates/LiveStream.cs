using System.Threading.Channels;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>
/// One open <c>GET /api/tasks/stream</c>: a bounded buffer between the replica's event consumer and the connection.
/// The consumer never waits for a client: when the buffer is full the stream is closed instead (memory stays bounded).
/// </summary>
public sealed class LiveStream : IDisposable
{
    private readonly Channel<LiveEvent> _events;
    private readonly CancellationTokenSource _closed = new();
    private int _end;
    private long _lastOutput;

    public LiveStream(Guid userId, DateTimeOffset issuedAt, DateTimeOffset expiresAt, int capacity, DateTimeOffset now)
    {
        UserId = userId;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        _lastOutput = now.UtcTicks;
        // Wait mode makes TryWrite fail when full (instead of silently dropping an event), which is the signal to close.
        _events = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public Guid UserId { get; }

    /// <summary>The token's <c>iat</c>, checked against the revocation snapshot.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The token's <c>exp</c>: the stream ends then.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public ChannelReader<LiveEvent> Events => _events.Reader;

    /// <summary>Cancelled when the server closes the stream (also aborts a write blocked on a slow client).</summary>
    public CancellationToken Closed => _closed.Token;

    public LiveStreamEnd End => (LiveStreamEnd)Volatile.Read(ref _end);

    /// <summary>When the connection last got bytes (heartbeats are due after a quiet interval).</summary>
    public DateTimeOffset LastOutput => new(Interlocked.Read(ref _lastOutput), TimeSpan.Zero);

    public bool TryEnqueue(LiveEvent live) => _events.Writer.TryWrite(live);

    public void Wrote(DateTimeOffset now) => Interlocked.Exchange(ref _lastOutput, now.UtcTicks);

    /// <summary>Closes the stream once; false when it was already closed.</summary>
    public bool Close(LiveStreamEnd reason)
    {
        if (Interlocked.CompareExchange(ref _end, (int)reason, (int)LiveStreamEnd.Open) != (int)LiveStreamEnd.Open)
        {
            return false;
        }

        _events.Writer.TryComplete();
        _closed.Cancel();
        return true;
    }

    public void Dispose() => _closed.Dispose();
}
