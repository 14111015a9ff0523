using Microsoft.Extensions.Logging;
using TaskManagement.Auth.Data;
using TaskManagement.Eventing;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Events.Tests;

/// <summary>
/// When the relay's background loop runs a round, against the real broker and database: a backlog drains in
/// back-to-back rounds, an idle loop rests, held-back rows are looked at again soon but not in a busy loop, loops
/// work side by side, and housekeeping runs once per interval. The poll is set to a minute, so only the loop's own
/// scheduling can meet these deadlines; <see cref="SqlRecorder"/> shows each round as its claim statement.
/// </summary>
public sealed class OutboxRelayLoopTests : IAsyncLifetime
{
    private const string Backlog = "taskmanagement.outbox.backlog";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private RelayBench _bench = null!;
    private SqlRecorder _sql = null!;

    public async Task InitializeAsync()
    {
        _bench = await RelayBench.StartAsync();
        _sql = new SqlRecorder(_bench.Db);
    }

    public async Task DisposeAsync()
    {
        _sql.Dispose();
        await _bench.DisposeAsync();
    }

    [Fact]
    public async Task A_backlog_of_several_batches_drains_back_to_back_and_then_the_loop_rests()
    {
        for (var n = 0; n < 17; n++)
        {
            await _bench.InsertAsync($"s{n % 3}", $$"""{"n":{{n}}}""");
        }

        await RunAsync(o =>
        {
            o.Outbox.Loops = 1;
            o.Outbox.BatchSize = 5;
            o.Outbox.PollInterval = Minute;
        }, async () =>
        {
            await _bench.Listener.WaitForAsync(_ => true, count: 17, timeout: TimeSpan.FromSeconds(10));
            await Task.Delay(1000); // nothing is due and nothing signals: the loop must not run another round

            // 5 + 5 + 5 + 2: a full batch is followed at once by the next round, a short one ends the drain.
            Assert.Equal(4, _sql.Claims.Count);
            // Housekeeping once per interval (the poll for the gauge, ten minutes for the pruner), not per round.
            Assert.Single(_sql.BacklogCounts);
            Assert.Equal(0, _bench.Metrics.Gauge(Backlog)); // counted after the drain
            Assert.Single(_sql.Prunes);
            Assert.Contains(_bench.Logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("started (1 loops, poll interval 00:01:00)", StringComparison.Ordinal));
        });
    }

    /// <summary>
    /// The loops of one process claim side by side (another round starts while one is still publishing), and only one
    /// of them at a time does the housekeeping, which stays once per interval.
    /// </summary>
    [Fact]
    public async Task Relay_loops_claim_side_by_side_and_share_one_housekeeping()
    {
        const int rows = 150;
        for (var n = 0; n < rows; n++)
        {
            await _bench.InsertAsync($"s{n % 10}", $$"""{"n":{{n}}}""");
        }

        await RunAsync(o =>
        {
            o.Outbox.Loops = 3;
            o.Outbox.BatchSize = 5;
            o.Outbox.PollInterval = Minute;
        }, async () =>
        {
            await _bench.Listener.WaitForAsync(_ => true, count: rows, timeout: TimeSpan.FromSeconds(20));
            await Task.Delay(500);

            var claims = _sql.Claims;
            var marks = _sql.MarksPublished;
            // A round runs on one connection from its claim to its record of what it published.
            var rounds = claims
                .Select(c => (c.Started, Ended: marks.FirstOrDefault(m => m.ConnectionId == c.ConnectionId && m.Started >= c.Started)?.Ended, c.ConnectionId))
                .Where(r => r.Ended is not null)
                .ToList();
            Assert.NotEmpty(rounds);
            Assert.Contains(rounds, r => claims.Any(c => c.ConnectionId != r.ConnectionId && c.Started > r.Started && c.Started < r.Ended));
            // Once at the start, and at most once more for a count taken while another loop was still draining: the
            // gauge shows the backlog as the loops left it (empty), not a count taken in the middle of a drain.
            Assert.InRange(_sql.BacklogCounts.Count, 1, 2);
            Assert.Equal(0, _bench.Metrics.Gauge(Backlog));
            Assert.Single(_sql.Prunes);
            Assert.Contains(_bench.Logs.Entries, e => e.Message.Contains("started (3 loops,", StringComparison.Ordinal));
        });
    }

    /// <summary>
    /// Rows held back behind a row another replica holds are claimed again soon, each time a little later (no poll
    /// needed, no busy loop while the other replica keeps it), and go out in order once it lets go. A full batch of
    /// held-back rows ends the drain instead of being claimed again and again.
    /// </summary>
    [Fact]
    public async Task Rows_held_back_behind_another_replica_are_looked_at_again_soon_without_a_busy_loop()
    {
        var rows = new List<long>();
        for (var n = 0; n < 4; n++)
        {
            rows.Add(await _bench.InsertAsync("held", $$"""{"n":{{n}}}"""));
        }

        await using var otherReplica = new MySqlConnector.MySqlConnection(_bench.Db.ConnectionString());
        await otherReplica.OpenAsync();
        await using var claim = await otherReplica.BeginTransactionAsync();
        await using (var lockSecond = new MySqlConnector.MySqlCommand($"SELECT sequence FROM outbox_messages WHERE sequence = {rows[1]} FOR UPDATE", otherReplica, claim))
        {
            Assert.NotNull(await lockSecond.ExecuteScalarAsync());
        }

        await RunAsync(o =>
        {
            o.Outbox.Loops = 1;
            o.Outbox.BatchSize = 2;
            o.Outbox.PollInterval = Minute;
        }, async () =>
        {
            await _bench.Listener.WaitForAsync(d => RelayBench.N(d) == 0);
            await Task.Delay(1500);
            Assert.Equal([0], _bench.Listener.Deliveries.Select(RelayBench.N));
            Assert.Equal(3, _bench.Metrics.Gauge(Backlog)); // the waiting rows, counted once after the first drain
            Assert.InRange(_bench.Metrics.Gauge("taskmanagement.outbox.oldest_age"), 0.001, 30);
            // Re-checks 100, 200, 400, 800 ms apart: a handful of rounds, not one per few milliseconds (the first
            // three come back to back: the drain, and the look again after its own publishing round).
            Assert.InRange(_sql.Claims.Count, 3, 12);

            await claim.RollbackAsync(); // the other replica lets go without publishing
            await _bench.Listener.WaitForAsync(_ => true, count: 4, timeout: TimeSpan.FromSeconds(5));
            Assert.Equal([0, 1, 2, 3], _bench.Listener.Deliveries.Select(RelayBench.N));
        });
    }

    /// <summary>
    /// The pruner deletes published rows past the retention once per <c>PruneInterval</c> (300 ms here); a run that
    /// finds nothing to delete neither logs nor counts.
    /// </summary>
    [Fact]
    public async Task The_pruner_runs_once_per_interval_and_reports_only_rows_it_deleted()
    {
        var old = new[] { await _bench.InsertAsync("old", """{"n":0}"""), await _bench.InsertAsync("old", """{"n":1}""") };
        var recent = await _bench.InsertAsync("recent", """{"n":2}""");
        await _bench.Db.ExecuteAsync($"UPDATE outbox_messages SET published_at = UTC_TIMESTAMP(6) - INTERVAL 2 HOUR WHERE sequence IN ({old[0]}, {old[1]})");
        await _bench.Db.ExecuteAsync($"UPDATE outbox_messages SET published_at = UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE WHERE sequence = {recent}");

        await RunAsync(o =>
        {
            o.Outbox.Loops = 1;
            o.Outbox.PollInterval = TimeSpan.FromMilliseconds(100);
            o.Outbox.PruneInterval = TimeSpan.FromMilliseconds(300);
            o.Outbox.Retention = TimeSpan.FromHours(1);
        }, async () =>
        {
            await Eventually.HoldsAsync(async () => await _bench.Db.CountAsync("outbox_messages WHERE subject = 'old'") == 0);
            await Eventually.HoldsAsync(() => Task.FromResult(_sql.Prunes.Count >= 4)); // three more runs, with nothing left to delete

            // Once per interval: a load can stretch the gaps, never shorten them (the schedule uses the same clock).
            var prunes = _sql.Prunes;
            Assert.All(prunes.Zip(prunes.Skip(1)), p => Assert.True(
                p.Second.Started - p.First.Started >= TimeSpan.FromMilliseconds(250), $"prunes {p.First.Started:O} and {p.Second.Started:O}"));
            Assert.Equal(1, await _bench.Db.CountAsync("outbox_messages"));
            Assert.Equal(2, _bench.Metrics.Sum("taskmanagement.outbox.pruned"));
            var pruned = Assert.Single(_bench.Logs.Entries, e => e.Message.StartsWith("Pruned", StringComparison.Ordinal));
            Assert.StartsWith("Pruned 2 published outbox rows older than ", pruned.Message, StringComparison.Ordinal);
        });
    }

    private async Task RunAsync(Action<EventsOptions> configure, Func<Task> test)
    {
        var relay = _bench.Relay(configure);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await test();
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
            relay.Dispose();
        }
    }
}
