using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Auth.Data;
using TaskManagement.Eventing.Outbox;
using Xunit.Abstractions;

namespace TaskManagement.Events.Tests;

/// <summary>The outbox relay under failure and contention, against the real broker and database.</summary>
public sealed class OutboxRelayTests(ITestOutputHelper output)
{
    /// <summary>
    /// The broker is cut (TCP proxy) during 500 registrations: every call succeeds, and once the broker is back
    /// all 500 events arrive; a consumer deduplicating by id sees each exactly once.
    /// </summary>
    [Fact]
    public async Task Broker_outage_during_500_registrations_loses_nothing()
    {
        await using var listener = await AmqpEventListener.StartAsync(Topics.Users);
        await using var db = await TestDatabase.CreateAsync("auth");
        await using var proxy = BrokerOutage.StartProxy();
        var settings = BrokerOutage.ServiceSettings(
            proxy, initialBackoff: TimeSpan.FromMilliseconds(250), maxBackoff: TimeSpan.FromSeconds(2), publishTimeout: TimeSpan.FromSeconds(2));
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
        using var client = auth.CreateHttpClient();

        // Warm up: the transport is connected and publishing.
        var (warmId, _, _) = await client.RegisterAndLoginAsync(AuthApi.NewUsername("warm"));
        await listener.WaitForAsync(AmqpEventListener.Subject(warmId.ToString()));

        proxy.Stop();
        var userIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await client.RegisterAsync(AuthApi.NewUsername("outage"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            userIds.Add((await response.JsonAsync()).GetProperty("userId").GetGuid().ToString());
        });
        Assert.Equal(500, userIds.Count);

        var pending = await db.CountAsync("outbox_messages WHERE published_at IS NULL");
        output.WriteLine($"Unpublished rows while the broker was cut: {pending}");
        Assert.True(pending > 0);
        using (var ready = await client.GetAsync("/health/ready"))
        {
            // The broker shows in readiness but does not take the API out of rotation: the outbox holds events.
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var broker = (await ready.JsonAsync()).GetProperty("checks").GetProperty("broker");
            Assert.NotEqual("Healthy", broker.GetProperty("status").GetString());
        }

        proxy.Start();
        var wanted = userIds.ToHashSet(StringComparer.Ordinal);
        var deliveries = await listener.WaitForAsync(d => IsRegistrationOf(d, wanted), count: 500, timeout: TimeSpan.FromSeconds(120));
        var byId = deliveries.GroupBy(d => d.EventId).ToList();
        output.WriteLine($"Deliveries: {deliveries.Count}, distinct events: {byId.Count}, redelivered: {deliveries.Count - byId.Count}");

        // The consumer's effect is per id: 500 distinct events, one per registered user.
        Assert.Equal(500, byId.Count);
        var subjects = byId.Select(g => g.First().CloudEvent.Subject!).ToHashSet(StringComparer.Ordinal);
        Assert.True(wanted.SetEquals(subjects));

        Assert.Equal(0, await UnpublishedAfterSettlingAsync(db));
    }

    /// <summary>
    /// Unpublished rows once the relay has had a moment: it marks a batch published when its transaction commits,
    /// after the broker confirmed it, so a consumer can see the last events just before the rows say so.
    /// </summary>
    internal static async Task<long> UnpublishedAfterSettlingAsync(TestDatabase db)
    {
        var unpublished = await db.CountAsync("outbox_messages WHERE published_at IS NULL");
        for (var i = 0; i < 50 && unpublished > 0; i++)
        {
            await Task.Delay(200);
            unpublished = await db.CountAsync("outbox_messages WHERE published_at IS NULL");
        }

        return unpublished;
    }

    /// <summary>
    /// Another replica holds a row that sits between two rows this relay can claim (claims interleave under
    /// SKIP LOCKED): the later row must wait for it, or the subject's events would be published out of order.
    /// </summary>
    [Fact]
    public async Task A_row_held_by_another_replica_keeps_later_rows_of_its_subject_waiting()
    {
        var topic = TestTopic.NewName();
        await using var listener = await AmqpEventListener.StartAsync(topic);
        await using var db = await TestDatabase.CreateAsync("auth");
        try
        {
            // The schema comes from a first start; then three rows of one subject, the middle one locked
            // the way another relay's claim transaction holds it.
            await AuthSchema.MigrateAsync(db);

            await InsertRowsAsync(db, topic, rows: 3, subjects: 1);
            await using var otherReplica = new MySqlConnector.MySqlConnection(db.ConnectionString());
            await otherReplica.OpenAsync();
            await using var claim = await otherReplica.BeginTransactionAsync();
            var middle = await db.ScalarAsync("SELECT sequence FROM outbox_messages WHERE data = '{\"n\":1}'");
            // By primary key, so exactly that row is locked (a scan would lock its neighbours too).
            await using (var lockMiddle = new MySqlConnector.MySqlCommand(
                $"SELECT sequence FROM outbox_messages WHERE sequence = {middle} FOR UPDATE", otherReplica, claim))
            {
                Assert.NotNull(await lockMiddle.ExecuteScalarAsync());
            }

            var settings = AmqpEventListener.ServiceSettings();
            settings["Events:Outbox:PollInterval"] = "00:00:00.100";
            await using var relay = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();

            await listener.WaitForAsync(d => N(d) == 0);
            await Task.Delay(1500); // many relay rounds: row 2 must still be waiting for row 1
            Assert.Equal([0], listener.Deliveries.Select(N));

            await claim.RollbackAsync(); // the other replica lets go of row 1 without publishing it
            await listener.WaitForAsync(_ => true, count: 3);
            Assert.Equal([0, 1, 2], listener.Deliveries.Select(N));
        }
        finally
        {
            await AmqpEventListener.DeleteAsync([], [topic]);
        }
    }

    private static int N(AmqpDelivery delivery) => delivery.Json.GetProperty("data").GetProperty("n").GetInt32();

    /// <summary>Two relays (two service instances) on one database: every row goes out once, in order per subject.</summary>
    [Fact]
    public async Task Two_relays_on_one_database_publish_each_row_once_in_subject_order()
    {
        var topic = TestTopic.NewName();
        await using var listener = await AmqpEventListener.StartAsync(topic);
        await using var db = await TestDatabase.CreateAsync("auth");
        var settings = AmqpEventListener.ServiceSettings();
        settings["Events:Outbox:PollInterval"] = "00:00:00.100";
        settings["Events:Outbox:BatchSize"] = "50";
        try
        {
            await using var first = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
            await using var second = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();

            const int rows = 1000;
            await InsertRowsAsync(db, topic, rows, subjects: 25);
            var deliveries = await listener.WaitForAsync(_ => true, count: rows, timeout: TimeSpan.FromSeconds(60));
            await Task.Delay(1000); // room for a duplicate to show up

            var all = listener.Deliveries.ToList();
            Assert.Equal(rows, all.Count);
            Assert.Equal(rows, all.Select(d => d.EventId).Distinct().Count());
            foreach (var subject in all.GroupBy(d => d.CloudEvent.Subject))
            {
                var order = subject.Select(d => d.Json.GetProperty("data").GetProperty("n").GetInt32()).ToList();
                Assert.Equal(order.Order().ToList(), order);
            }

            Assert.Equal(0, await UnpublishedAfterSettlingAsync(db));
        }
        finally
        {
            await AmqpEventListener.DeleteAsync([], [topic]);
        }
    }

    /// <summary>
    /// The relay loops of one process (Events:Outbox:Loops) share a backlog as replicas do: every row once, in order per
    /// subject. A loop that holds rows back because another loop holds an earlier row of their subject does not leave
    /// them for the poll (a minute here): the other loop's publishing round wakes a loop to claim them again, also when
    /// it published just before the rows were held back. The deadline is below the poll but generous: three subjects
    /// across four loops is contention by design, slow on a loaded machine.
    /// </summary>
    [Fact]
    public async Task Relay_loops_of_one_process_publish_each_row_once_in_order_without_waiting_for_the_poll()
    {
        var topic = TestTopic.NewName();
        await using var listener = await AmqpEventListener.StartAsync(topic);
        await using var db = await TestDatabase.CreateAsync("auth");
        var settings = AmqpEventListener.ServiceSettings();
        settings["Events:Outbox:PollInterval"] = "00:01:00";
        settings["Events:Outbox:BatchSize"] = "7";
        settings["Events:Outbox:Loops"] = "4";
        try
        {
            // The rows are there before the relay starts, so no commit wakes it: only its own rounds and wake-ups.
            await AuthSchema.MigrateAsync(db);
            const int rows = 600;
            await InsertRowsAsync(db, topic, rows, subjects: 3);
            await using var relay = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();

            await listener.WaitForAsync(_ => true, count: rows, timeout: TimeSpan.FromSeconds(45));
            await Task.Delay(500); // room for a duplicate to show up

            var all = listener.Deliveries.ToList();
            Assert.Equal(rows, all.Select(d => d.EventId).Distinct().Count());
            Assert.Equal(rows, all.Count);
            foreach (var subject in all.GroupBy(d => d.CloudEvent.Subject))
            {
                var order = subject.Select(N).ToList();
                Assert.Equal(order.Order().ToList(), order);
            }
        }
        finally
        {
            await AmqpEventListener.DeleteAsync([], [topic]);
        }
    }

    /// <summary>
    /// While the broker is away, a relay loop whose round failed waits out its back-off before its next round, although
    /// every new commit signals it: it does not spend a publish timeout on each new row. Once the broker is back and
    /// the back-off is over, everything goes out.
    /// </summary>
    [Fact]
    public async Task After_a_failed_round_the_relay_backs_off_instead_of_trying_each_new_row_at_once()
    {
        await using var listener = await AmqpEventListener.StartAsync(Topics.Users);
        await using var db = await TestDatabase.CreateAsync("auth");
        await using var proxy = BrokerOutage.StartProxy();
        var settings = BrokerOutage.ServiceSettings(
            proxy, initialBackoff: TimeSpan.FromSeconds(6), maxBackoff: TimeSpan.FromSeconds(6), publishTimeout: TimeSpan.FromMilliseconds(300));
        settings["Events:Outbox:PollInterval"] = "00:01:00";
        settings["Events:Outbox:Loops"] = "1"; // the back-off is per loop: a second loop would take the next row
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
        using var client = auth.CreateHttpClient();
        var (warmId, _, _) = await client.RegisterAndLoginAsync(AuthApi.NewUsername("warm"));
        await listener.WaitForAsync(AmqpEventListener.Subject(warmId.ToString()));
        // Its round is over (confirmed and recorded) before the cut: otherwise that round fails and starts the pause.
        await Eventually.HoldsAsync(async () => await db.CountAsync("outbox_messages WHERE published_at IS NULL") == 0, TimeSpan.FromSeconds(5));

        proxy.Stop();
        var (first, _, _) = await client.RegisterAndLoginAsync(AuthApi.NewUsername("first"));
        await Eventually.HoldsAsync(async () => await AttemptsAsync(db, first) > 0, TimeSpan.FromSeconds(5));
        Assert.Equal(1, await AttemptsAsync(db, first)); // the failed round: the loop now pauses for 6 s

        var (second, _, _) = await client.RegisterAndLoginAsync(AuthApi.NewUsername("second"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await AttemptsAsync(db, second)); // signalled, but not tried during the pause

        proxy.Start();
        await listener.WaitForAsync(AmqpEventListener.Subject(first.ToString()), timeout: TimeSpan.FromSeconds(30));
        await listener.WaitForAsync(AmqpEventListener.Subject(second.ToString()), timeout: TimeSpan.FromSeconds(30));
    }

    private static async Task<int> AttemptsAsync(TestDatabase db, Guid userId) => Convert.ToInt32(
        await db.ScalarAsync($"SELECT attempts FROM outbox_messages WHERE subject = '{userId}'"), CultureInfo.InvariantCulture);

    /// <summary>
    /// With the poll fallback set to a minute, events still leave at once: the commit wakes the relay, both for
    /// SaveChanges' own transaction and for an explicit transaction (and not before that one commits).
    /// </summary>
    [Fact]
    public async Task Commits_wake_the_relay_for_implicit_and_explicit_transactions()
    {
        await using var listener = await AmqpEventListener.StartAsync(Topics.Users);
        await using var db = await TestDatabase.CreateAsync("auth");
        var settings = AmqpEventListener.ServiceSettings();
        settings["Events:Outbox:PollInterval"] = "00:01:00";
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
        await Task.Delay(500); // the relay's first round (at start-up) is behind us

        var implicitSubject = Guid.NewGuid();
        await using (var scope = auth.Services.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            context.AddEvent(implicitSubject, new UserRegistered(implicitSubject, "implicit", DateTimeOffset.UtcNow));
            await context.SaveChangesAsync();
        }

        await listener.WaitForAsync(AmqpEventListener.Subject(implicitSubject.ToString()), timeout: TimeSpan.FromSeconds(5));

        var explicitSubject = Guid.NewGuid();
        await using (var scope = auth.Services.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await using var transaction = await context.Database.BeginTransactionAsync();
            context.AddEvent(explicitSubject, new UserRegistered(explicitSubject, "explicit", DateTimeOffset.UtcNow));
            await context.SaveChangesAsync();
            await Task.Delay(1000);
            Assert.DoesNotContain(listener.Deliveries, d => AmqpEventListener.Subject(explicitSubject.ToString())(d));
            await transaction.CommitAsync();
        }

        await listener.WaitForAsync(AmqpEventListener.Subject(explicitSubject.ToString()), timeout: TimeSpan.FromSeconds(5));
    }

    /// <summary>Outbox rows as a service writes them, inserted directly so both relays race for them.</summary>
    internal static async Task InsertRowsAsync(TestDatabase db, string topic, int rows, int subjects, int chunk = 500)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        for (var start = 0; start < rows; start += chunk)
        {
            var sql = new StringBuilder("INSERT INTO outbox_messages (event_id, type, source, subject, topic, occurred_at, data, attempts) VALUES ");
            for (var n = start; n < Math.Min(rows, start + chunk); n++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"('{Guid.CreateVersion7()}', '{EventTypes.UserRegistered}', '{EventSources.Auth}', 'subject-{n % subjects}', '{topic}', '{now}', '{{\"n\":{n}}}', 0),");
            }

            await db.ExecuteAsync(sql.ToString().TrimEnd(','));
        }
    }

    private static bool IsRegistrationOf(AmqpDelivery delivery, HashSet<string> userIds)
    {
        var json = delivery.Json;
        return json.GetProperty("type").GetString() == EventTypes.UserRegistered && userIds.Contains(json.GetProperty("subject").GetString()!);
    }
}
