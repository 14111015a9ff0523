namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Wakes the relay right after a commit that wrote outbox rows, so events leave within milliseconds
/// instead of at the next poll. Many signals while the relay is busy collapse into one wake-up.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount > 0)
        {
            return; // already signalled; checked first because a throw per commit costs CPU under load
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Signalled by another commit in between: the relay will scan anyway.
        }
    }

    /// <summary>Returns true when signalled, false when the timeout passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
