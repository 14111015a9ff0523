using System.Collections.Concurrent;
using System.Diagnostics;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// Where BCrypt runs: a fixed number of dedicated threads (one per core by default), fed by a queue that only admits
/// work which can finish within <c>Passwords:MaxHashLatency</c>. Anything more is refused at once with
/// <see cref="ServiceBusyException"/> (503 + Retry-After), so under a login storm accepted requests stay fast and
/// the rest fail fast, instead of every request queueing until clients time out. BCrypt never blocks the request
/// thread pool, so health checks and the 503s themselves are answered at once.
/// </summary>
public sealed class PasswordHashingCapacity : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly int _workers;
    private readonly TimeSpan _maxLatency;
    private readonly Lock _averageLock = new();
    private int _admitted;
    private TimeSpan _average;
    private bool _measured;

    /// <summary>
    /// The hashing threads' nice value where the process may raise it (Linux with CAP_SYS_NICE, root): admitted work
    /// then keeps its cores while a storm of refusals competes for them. Elsewhere they stay at the process's priority.
    /// </summary>
    public const int HashingThreadNice = -10;

    /// <summary>Until the first operation is measured, each is assumed to take this long.</summary>
    public static readonly TimeSpan InitialEstimate = TimeSpan.FromMilliseconds(250);

    public PasswordHashingCapacity(int workers, TimeSpan maxLatency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        (_workers, _maxLatency, _average) = (workers, maxLatency, InitialEstimate);
        for (var i = 0; i < workers; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"bcrypt-{i + 1}" }.Start();
        }
    }

    /// <summary>The current estimate of one operation's time (a moving average of the measured ones).</summary>
    public TimeSpan Average
    {
        get
        {
            lock (_averageLock)
            {
                return _average;
            }
        }
    }

    /// <summary>
    /// True when the operation at <paramref name="position"/> (0 = nothing ahead of it) would finish in time: it waits
    /// for position / workers rounds, then takes one more. One per worker is always admitted, however slow.
    /// </summary>
    public static bool FinishesInTime(int position, int workers, TimeSpan average, TimeSpan maxLatency) =>
        position < workers || (position / workers + 1) * average <= maxLatency;

    /// <summary>
    /// False when work arriving now would be refused, with when it would finish. Asked before anything else of a request
    /// runs (<see cref="LoadShedding"/>): a refused request must cost next to nothing, or a storm of refusals takes the
    /// cores BCrypt needs. The work is admitted for real, and may still be refused, in <see cref="RunAsync{T}"/>.
    /// </summary>
    public bool WouldAdmit(out TimeSpan retryAfter) => InTime(Volatile.Read(ref _admitted), out retryAfter);

    /// <summary>Runs <paramref name="work"/> on a BCrypt thread, or throws <see cref="ServiceBusyException"/> at once.</summary>
    public Task<T> RunAsync<T>(Func<T> work, Action<TimeSpan> measured)
    {
        if (!InTime(Interlocked.Increment(ref _admitted) - 1, out var wait))
        {
            Interlocked.Decrement(ref _admitted);
            throw new ServiceBusyException(wait);
        }

        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            var started = Stopwatch.GetTimestamp();
            T value = default!;
            Exception? error = null;
            try
            {
                value = work();
            }
            catch (Exception ex)
            {
                error = ex;
            }

            // Measured and released before the caller resumes: its next request must see this work done.
            var elapsed = Stopwatch.GetElapsedTime(started);
            Observe(elapsed);
            measured(elapsed);
            Interlocked.Decrement(ref _admitted);
            if (error is null)
            {
                result.SetResult(value);
            }
            else
            {
                result.SetException(error);
            }
        });
        return result.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    /// <summary>Whether work at <paramref name="position"/> finishes in time; <paramref name="wait"/> is when it would.</summary>
    private bool InTime(int position, out TimeSpan wait)
    {
        var average = Average;
        wait = (position / _workers + 1) * average;
        return FinishesInTime(position, _workers, average, _maxLatency);
    }

    private void Observe(TimeSpan elapsed)
    {
        lock (_averageLock)
        {
            _average = _measured ? (_average * 0.8) + (elapsed * 0.2) : elapsed;
            _measured = true;
        }
    }

    private void Work()
    {
        ThreadNice.TryRaise(HashingThreadNice);
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item();
        }
    }
}
