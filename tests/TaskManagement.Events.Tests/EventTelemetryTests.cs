using System.Diagnostics;
using System.Globalization;

namespace TaskManagement.Events.Tests;

/// <summary>
/// What operators see of the event path: the product metrics on <c>/metrics</c> after real events (and a real
/// outage), the trace context carried from the request through the outbox onto the broker, and the relay's
/// housekeeping (draining a backlog in batches, pruning published rows after the retention).
/// Runs alone: the services share this test process, and OpenTelemetry merges the instruments of every
/// meter with the same name in a process — when another test's service stops and disposes its meter, the
/// shared series can vanish from this service's <c>/metrics</c> (never an issue with one service per process).
/// </summary>
[Collection(nameof(EventTelemetryTests))]
public sealed class EventTelemetryTests
{
    private const string Published = "taskmanagement_events_published_total";
    private const string PublishFailures = "taskmanagement_events_publish_failures_total";
    private const string Backlog = "taskmanagement_outbox_backlog";
    private const string OldestAge = "taskmanagement_outbox_oldest_age_seconds";

    private static string TypeLabel(string type) => $"type=\"{type}\"";

    [Fact]
    public async Task Publish_counters_and_the_backlog_gauge_on_metrics_follow_real_events_through_a_broker_outage()
    {
        await using var listener = await AmqpEventListener.StartAsync(Topics.Users);
        await using var db = await TestDatabase.CreateAsync("auth");
        await using var proxy = BrokerOutage.StartProxy();
        var settings = BrokerOutage.ServiceSettings(
            proxy, initialBackoff: TimeSpan.FromMilliseconds(200), maxBackoff: TimeSpan.FromSeconds(1), publishTimeout: TimeSpan.FromSeconds(1));
        settings["Events:Outbox:PollInterval"] = "00:00:00.200";
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
        using var client = auth.CreateHttpClient();
        var registered = TypeLabel(EventTypes.UserRegistered);

        var (first, _, _) = await client.RegisterAndLoginAsync();
        await listener.WaitForAsync(AmqpEventListener.Subject(first.ToString()));
        await PrometheusText.WaitForAsync(client, Published, v => v == 1, registered);
        await PrometheusText.WaitForAsync(client, Backlog, v => v == 0);

        proxy.Stop();
        var during = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.RegisterAsync(AuthApi.NewUsername("metrics"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            during.Add((await response.JsonAsync()).GetProperty("userId").GetGuid().ToString());
        }

        await PrometheusText.WaitForAsync(client, PublishFailures, v => v >= 1, registered);
        await PrometheusText.WaitForAsync(client, Backlog, v => v == 3);
        await PrometheusText.WaitForAsync(client, OldestAge, v => v > 0);
        Assert.Equal(1, await PrometheusText.ReadAsync(client, Published, registered));

        proxy.Start();
        foreach (var userId in during)
        {
            await listener.WaitForAsync(AmqpEventListener.Subject(userId), timeout: TimeSpan.FromSeconds(60));
        }

        await PrometheusText.WaitForAsync(client, Published, v => v == 4, registered);
        await PrometheusText.WaitForAsync(client, Backlog, v => v == 0);
        await PrometheusText.WaitForAsync(client, OldestAge, v => v == 0);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal("Healthy", (await ready.JsonAsync()).GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_request_s_trace_reaches_the_broker_and_the_consumer_s_counters_show_the_events()
    {
        using var spans = new SpanRecorder();
        await using var listener = await AmqpEventListener.StartAsync(Topics.Tasks);
        await using var stack = await TaskStack.StartAsync();
        var (userId, _, token) = await stack.NewUserAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        // The caller's trace, sent as the traceparent header. (The services share this process, whose HttpClient
        // instrumentation writes the header from the current activity, so the caller's span is made current.)
        HttpResponseMessage created;
        using (var caller = new Activity("caller").SetParentId(traceId, callerSpan, ActivityTraceFlags.Recorded).Start())
        {
            created = await stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "traced" });
        }

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var taskId = (await created.JsonAsync()).GetProperty("id").GetGuid().ToString();
        created.Dispose();

        // The CloudEvent on the wire carries the request's trace: same trace id, the service's own span as parent.
        var delivery = Assert.Single(await listener.WaitForAsync(AmqpEventListener.Subject(taskId, EventTypes.TaskCreated)));
        var traceParent = Assert.IsType<string>(delivery.CloudEvent["traceparent"]);
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceParent);
        Assert.DoesNotContain(callerSpan.ToString(), traceParent, StringComparison.Ordinal);
        Assert.Equal(traceParent, await stack.TasksDatabase.ScalarAsync($"SELECT trace_parent FROM outbox_messages WHERE event_id = '{delivery.EventId}'"));

        // The relay's publish span continues that trace.
        var publish = await spans.WaitForAsync(delivery.EventId!, ActivityKind.Producer);
        Assert.Equal($"{Topics.Tasks} publish", publish.DisplayName);
        Assert.Equal(traceId, publish.TraceId);
        Assert.Equal(traceParent.Split('-')[2], publish.ParentSpanId.ToHexString());
        Assert.Equal(Topics.Tasks, publish.GetTagItem("messaging.destination.name"));
        Assert.Equal(EventTypes.TaskCreated, publish.GetTagItem("cloudevents.event_type"));
        await PrometheusText.WaitForAsync(stack.TasksClient, Published, v => v >= 1, TypeLabel(EventTypes.TaskCreated));

        // The account goes: Tasks consumes user.deleted (counted) and publishes task.deleted (counted).
        using (var gone = await stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        }

        await listener.WaitForAsync(AmqpEventListener.Subject(taskId, EventTypes.TaskDeleted));
        await PrometheusText.WaitForAsync(stack.TasksClient, "taskmanagement_events_consumed_total", v => v >= 1, TypeLabel(EventTypes.UserDeleted));
        await PrometheusText.WaitForAsync(stack.TasksClient, Published, v => v >= 1, TypeLabel(EventTypes.TaskDeleted));
        await PrometheusText.WaitForAsync(stack.AuthClient, Published, v => v >= 1, TypeLabel(EventTypes.UserDeleted));
        Assert.Equal(0, await stack.TasksDatabase.CountAsync($"tasks WHERE user_id = '{userId}'"));
    }

    /// <summary>
    /// A backlog larger than a batch drains in back-to-back rounds without waiting for the poll; published rows
    /// older than the retention are deleted, newer ones and unpublished ones are kept.
    /// </summary>
    [Fact]
    public async Task A_backlog_drains_in_batches_and_only_published_rows_past_the_retention_are_pruned()
    {
        var topic = TestTopic.NewName();
        await using var listener = await AmqpEventListener.StartAsync(topic);
        await using var db = await TestDatabase.CreateAsync("auth");
        try
        {
            await AuthSchema.MigrateAsync(db);

            await InsertAsync(db, topic, "old", """{"n":-1}""", publishedHoursAgo: 2);
            await InsertAsync(db, topic, "recent", """{"n":-2}""", publishedHoursAgo: 0.5);
            for (var n = 0; n < 35; n++)
            {
                await InsertAsync(db, topic, $"s{n % 3}", $$"""{"n":{{n}}}""", publishedHoursAgo: null);
            }

            await InsertAsync(db, topic, "stuck", "{\"n\":", publishedHoursAgo: null);

            var settings = AmqpEventListener.ServiceSettings();
            settings["Events:Outbox:BatchSize"] = "10";
            settings["Events:Outbox:PollInterval"] = "00:01:00"; // only back-to-back rounds can drain 35 rows in time
            settings["Events:Outbox:Retention"] = "01:00:00";
            await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), settings).Start();
            using var client = auth.CreateHttpClient();

            await listener.WaitForAsync(_ => true, count: 35, timeout: TimeSpan.FromSeconds(20));
            await PrometheusText.WaitForAsync(client, "taskmanagement_outbox_pruned_total", v => v == 1);
            Assert.Equal(0, await db.CountAsync("outbox_messages WHERE subject = 'old'"));
            Assert.Equal(1, await db.CountAsync("outbox_messages WHERE subject = 'recent'"));
            Assert.Equal(35, await db.CountAsync("outbox_messages WHERE subject LIKE 's%' AND published_at IS NOT NULL"));
            Assert.Equal(1, await db.CountAsync("outbox_messages WHERE subject = 'stuck' AND published_at IS NULL AND attempts >= 1"));
            Assert.Equal(1, await PrometheusText.ReadAsync(client, Backlog));
        }
        finally
        {
            await AmqpEventListener.DeleteAsync([], [topic]);
        }
    }

    private static async Task InsertAsync(TestDatabase db, string topic, string subject, string data, double? publishedHoursAgo)
    {
        var published = publishedHoursAgo is { } hours
            ? string.Create(CultureInfo.InvariantCulture, $"UTC_TIMESTAMP(6) - INTERVAL {(int)(hours * 60)} MINUTE")
            : "NULL";
        await db.ExecuteAsync(
            "INSERT INTO outbox_messages (event_id, type, source, subject, topic, occurred_at, data, attempts, published_at) VALUES " +
            $"('{Guid.CreateVersion7()}', '{EventTypes.UserRegistered}', '{EventSources.Auth}', '{subject}', '{topic}', UTC_TIMESTAMP(6) - INTERVAL 3 HOUR, '{data}', 0, {published})");
    }
}
