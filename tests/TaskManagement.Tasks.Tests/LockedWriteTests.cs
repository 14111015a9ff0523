using System.Globalization;
using MySqlConnector;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// TaskWriter's last attempt, reached on purpose: a rival on the real MariaDB always holds an uncommitted version bump
/// of the task's row, so every optimistic attempt of an unconditional write loses (its UPDATE waits for the rival, then
/// finds a newer version), until the fourth attempt reads under <c>SELECT … FOR UPDATE</c>, which the test sees waiting.
/// </summary>
public sealed class LockedWriteTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Fact]
    public async Task An_unconditional_put_that_loses_every_optimistic_attempt_is_written_under_the_row_lock()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Contended" });
        await using var rival = await Rival.StartAsync(fx.Database, id);

        var put = fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, new { title = "Mine" });
        var bumps = await rival.OutbidUntilTheLockedReadAsync();
        await rival.CommitAsync();
        using var response = await put;

        // The first bump and one per lost attempt: three optimistic attempts lost before the locked read.
        Assert.True(bumps >= 4, $"the locked read came after {bumps} bumps");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var version = (await response.JsonAsync()).GetProperty("version").GetInt32();
        Assert.Equal($"\"{version}\"", response.Headers.ETag?.ToString());
        var row = Assert.Single(await fx.Database.QueryAsync("SELECT title, version FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal("Mine", row["title"]);
        Assert.Equal(version, Convert.ToInt32(row["version"], CultureInfo.InvariantCulture));
        Assert.Equal(1 + bumps + 1, version); // created, the rival's bumps, then this write on top of the last one
        var update = Assert.Single(await fx.Database.QueryAsync(
            "SELECT data FROM outbox_messages WHERE subject = @s AND type = 'com.taskmanagement.task.updated.v1'", ("@s", id.ToString())));
        var task = JsonDocument.Parse((string)update["data"]!).RootElement.GetProperty("task");
        Assert.Equal(version, task.GetProperty("version").GetInt32());
        Assert.Equal("Mine", task.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_task_deleted_while_the_locked_attempt_waits_is_404_not_an_error()
    {
        var (token, id) = await fx.NewUserWithTaskAsync(new { title = "Doomed" });
        await using var rival = await Rival.StartAsync(fx.Database, id);

        var put = fx.Client.SendAsync(HttpMethod.Put, $"/api/tasks/{id}", token, new { title = "Too late" });
        await rival.OutbidUntilTheLockedReadAsync();
        await rival.DeleteAndCommitAsync();
        using var response = await put;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Task not found.", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(0, await fx.Database.CountAsync($"outbox_messages WHERE subject = '{id}' AND type <> 'com.taskmanagement.task.created.v1'"));
    }

    /// <summary>
    /// Holds the task's row lock in its own transactions, each with a version bump. To outbid a waiting UPDATE it queues
    /// the next bump on a second connection first, then commits: the service's UPDATE finds a newer version, and the
    /// next bump holds the lock before the service's next attempt can write.
    /// </summary>
    private sealed class Rival : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private readonly Guid _id;
        private readonly MySqlConnection _monitor;
        private MySqlConnection _held;
        private MySqlTransaction _transaction;

        private Rival(TestDatabase database, Guid id, MySqlConnection monitor, MySqlConnection held, MySqlTransaction transaction)
        {
            (_database, _id, _monitor, _held, _transaction) = (database, id, monitor, held, transaction);
        }

        public static async Task<Rival> StartAsync(TestDatabase database, Guid id)
        {
            var monitor = new MySqlConnection(database.ConnectionString());
            await monitor.OpenAsync();
            var (held, transaction, _) = await BumpAsync(database, id, queued: null);
            return new Rival(database, id, monitor, held, transaction);
        }

        /// <summary>Outbids the service's UPDATEs until its locked read waits; the number of bumps made.</summary>
        public async Task<int> OutbidUntilTheLockedReadAsync()
        {
            var bumps = 1;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var waiting = await ServiceStatementAsync(deadline);
                if (waiting.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase))
                {
                    return bumps;
                }

                // The next bump waits behind the current lock (after the service's UPDATE: MariaDB grants row locks
                // first come, first served). The commit lets the service's UPDATE find a newer version, it rolls
                // back, and the next bump holds the lock before the service's next attempt can write.
                var (next, transaction, bump) = await BumpAsync(_database, _id, queued: this);
                await _transaction.CommitAsync();
                await _transaction.DisposeAsync();
                await _held.DisposeAsync();
                Assert.Equal(1, await bump);
                (_held, _transaction) = (next, transaction);
                bumps++;
            }
        }

        public Task CommitAsync() => _transaction.CommitAsync();

        public async Task DeleteAndCommitAsync()
        {
            await using (var delete = new MySqlCommand("DELETE FROM tasks WHERE id = @id", _held, _transaction))
            {
                delete.Parameters.AddWithValue("@id", _id.ToString());
                Assert.Equal(1, await delete.ExecuteNonQueryAsync());
            }

            await _transaction.CommitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _held.DisposeAsync();
            await _monitor.DisposeAsync();
        }

        /// <summary>
        /// A new transaction bumping the version. With <paramref name="queued"/>, the bump is returned still running,
        /// once it waits behind that rival's lock; otherwise it is done.
        /// </summary>
        private static async Task<(MySqlConnection Connection, MySqlTransaction Transaction, Task<int> Bump)> BumpAsync(TestDatabase database, Guid id, Rival? queued)
        {
            var connection = new MySqlConnection(database.ConnectionString());
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            var command = new MySqlCommand("UPDATE tasks SET version = version + 1 WHERE id = @id", connection, transaction);
            command.Parameters.AddWithValue("@id", id.ToString());
            var bump = RunAsync(command);
            while (queued is not null && !bump.IsCompleted && (await queued.StatementOfAsync(connection.ServerThread)) is null)
            {
                await Task.Delay(2);
            }

            if (queued is null)
            {
                Assert.Equal(1, await bump);
            }

            return (connection, transaction, bump);

            static async Task<int> RunAsync(MySqlCommand command)
            {
                await using (command)
                {
                    return await command.ExecuteNonQueryAsync();
                }
            }
        }

        /// <summary>The statement the service runs on this database while the rival holds the lock (its UPDATE or locked read).</summary>
        private async Task<string> ServiceStatementAsync(DateTime deadline)
        {
            while (true)
            {
                await using var command = new MySqlCommand(
                    "SELECT INFO FROM information_schema.PROCESSLIST WHERE DB = @db AND ID NOT IN (@monitor, @held) AND INFO LIKE '%tasks%' AND (INFO LIKE '%FOR UPDATE%' OR INFO LIKE '%UPDATE `tasks`%') LIMIT 1",
                    _monitor);
                command.Parameters.AddWithValue("@db", _database.Name);
                command.Parameters.AddWithValue("@monitor", _monitor.ServerThread);
                command.Parameters.AddWithValue("@held", _held.ServerThread);
                if (await command.ExecuteScalarAsync() is string statement)
                {
                    return statement;
                }

                Assert.True(DateTime.UtcNow < deadline, "the service's write never waited for the rival's lock");
                await Task.Delay(2);
            }
        }

        private async Task<string?> StatementOfAsync(int thread)
        {
            await using var command = new MySqlCommand("SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = @id", _monitor);
            command.Parameters.AddWithValue("@id", thread);
            return await command.ExecuteScalarAsync() as string;
        }
    }
}
