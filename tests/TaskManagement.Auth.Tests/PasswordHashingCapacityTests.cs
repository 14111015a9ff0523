using TaskManagement.Auth.Identity;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Tests;

/// <summary>
/// The BCrypt threads and their admission, without a service: how many threads, what they are, the estimate that
/// admission and Retry-After are computed from, and what a failing or finished operation leaves behind.
/// </summary>
public sealed class PasswordHashingCapacityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0, 1, 2000, 1000, true)] // one per worker is always admitted, however slow
    [InlineData(1, 2, 2000, 1000, true)]
    [InlineData(2, 2, 300, 1000, true)] // second round: done after 600 ms
    [InlineData(5, 2, 300, 1000, true)] // third round: 900 ms
    [InlineData(6, 2, 300, 1000, false)] // fourth round: 1200 ms
    [InlineData(3, 1, 250, 1000, true)]
    [InlineData(4, 1, 250, 1000, false)]
    public void Work_is_admitted_only_when_it_finishes_within_the_latency_bound(int position, int workers, int averageMs, int maxMs, bool admitted) =>
        Assert.Equal(admitted, PasswordHashingCapacity.FinishesInTime(position, workers, TimeSpan.FromMilliseconds(averageMs), TimeSpan.FromMilliseconds(maxMs)));

    [Fact]
    public void At_least_one_worker()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHashingCapacity(0, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Work_runs_on_the_named_background_threads_one_operation_per_worker_at_a_time()
    {
        using var capacity = new PasswordHashingCapacity(workers: 2, TimeSpan.FromSeconds(10));
        using var release = new ManualResetEventSlim();
        var running = 0;
        var mostAtOnce = 0;
        var threads = new System.Collections.Concurrent.ConcurrentBag<(string? Name, bool Background, int Nice)>();
        var work = Enumerable.Range(0, 6).Select(_ => capacity.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            threads.Add((Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground, CurrentThreadNice()));
            release.Wait(Patience);
            Interlocked.Decrement(ref running);
            return 0;
        }, _ => { })).ToList();

        await Task.Delay(200);
        release.Set();
        await Task.WhenAll(work).WaitAsync(Patience);

        Assert.Equal(2, mostAtOnce);
        Assert.Equal(["bcrypt-1", "bcrypt-2"], threads.Select(t => t.Name).Distinct().Order());
        Assert.All(threads, t => Assert.True(t.Background, "a hashing thread must not keep the process alive"));
        if (Environment.IsPrivilegedProcess)
        {
            // With CAP_SYS_NICE (root here and in CI) the hashing threads are raised: admitted work keeps its cores
            // while a storm of refused logins competes for them.
            Assert.All(threads, t => Assert.Equal(PasswordHashingCapacity.HashingThreadNice, t.Nice));
        }
    }

    /// <summary>The calling thread's nice value: field 19 of <c>/proc/thread-self/stat</c> (Linux).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(afterName[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_estimate_starts_at_the_first_measured_time_then_moves_a_fifth_of_the_way_to_each_new_one()
    {
        using var capacity = new PasswordHashingCapacity(workers: 1, TimeSpan.FromSeconds(10));
        Assert.Equal(PasswordHashingCapacity.InitialEstimate, capacity.Average);

        var measured = new List<TimeSpan>();
        await capacity.RunAsync(() => Sleep(120), measured.Add).WaitAsync(Patience);
        Assert.Equal(measured[0], capacity.Average);

        await capacity.RunAsync(() => Sleep(40), measured.Add).WaitAsync(Patience);
        Assert.Equal((measured[0] * 0.8) + (measured[1] * 0.2), capacity.Average);
        Assert.InRange(measured[1], TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(120));
    }

    [Fact]
    public async Task Work_that_cannot_finish_in_time_is_refused_with_when_it_would_have()
    {
        // Two workers, the initial 250 ms estimate, 1 s bound: positions 0-7 finish within four rounds.
        using var capacity = new PasswordHashingCapacity(workers: 2, TimeSpan.FromSeconds(1));
        using var release = new ManualResetEventSlim();
        var admitted = Enumerable.Range(0, 8).Select(_ => capacity.RunAsync(() => release.Wait(Patience), _ => { })).ToList();

        Assert.False(capacity.WouldAdmit(out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(1250), retryAfter); // the fifth round: (8 / 2 + 1) × 250 ms
        // Refused at once, synchronously: a refusal costs no thread and no queue place.
        var refused = Assert.Throws<ServiceBusyException>(() => { _ = capacity.RunAsync(() => true, _ => { }); });
        Assert.Equal(TimeSpan.FromMilliseconds(1250), refused.RetryAfter);

        release.Set();
        await Task.WhenAll(admitted).WaitAsync(Patience);
        Assert.True(capacity.WouldAdmit(out _));
    }

    [Fact]
    public async Task A_failing_operation_fails_its_caller_and_frees_its_place()
    {
        using var capacity = new PasswordHashingCapacity(workers: 1, TimeSpan.FromMilliseconds(1));
        var measured = 0;
        var failing = capacity.RunAsync<bool>(() =>
        {
            Thread.Sleep(50);
            throw new InvalidOperationException("broken hash");
        }, _ => measured++);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Patience));
        Assert.Equal("broken hash", error.Message);
        Assert.Equal(1, measured);
        // Were its place still taken, the next would wait 2 × 50 ms, over the 1 ms bound, and be refused.
        Assert.True(capacity.WouldAdmit(out _));
        Assert.True(await capacity.RunAsync(() => true, _ => { }).WaitAsync(Patience));
    }

    [Fact]
    public async Task Hashing_work_is_measured_and_released_before_its_caller_resumes()
    {
        using var capacity = new PasswordHashingCapacity(workers: 1, TimeSpan.FromSeconds(1));
        using var measuring = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        var work = capacity.RunAsync(() => 42, _ =>
        {
            measuring.Set();
            release.Wait(Patience);
        });
        Assert.True(measuring.Wait(Patience));

        // A caller resuming now would miss its own duration and find its slot still taken (a spurious 503).
        Assert.False(work.IsCompleted);
        release.Set();
        Assert.Equal(42, await work);
    }

    private static bool Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return true;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
