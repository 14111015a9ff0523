using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Tasks.LiveUpdates;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// GET /api/tasks/stream (issue 14) against the real stack: the per-replica fan-out over RabbitMQ, the owner filter,
/// Last-Event-ID replay from the outbox, and the server closing the stream (revocation, expiry, slow reader).
/// </summary>
public sealed class LiveStreamTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    private const string Created = "com.taskmanagement.task.created.v1";
    private const string Updated = "com.taskmanagement.task.updated.v1";
    private const string Deleted = "com.taskmanagement.task.deleted.v1";
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task The_stream_answers_as_the_contract_says_and_carries_the_owners_task_event()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        await using var stream = await LiveStreamClient.ConnectAsync(fx.Client, token);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(stream.Response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", Assert.Single(stream.Response.Headers.GetValues("X-Accel-Buffering")));
        Assert.Equal("nosniff", Assert.Single(stream.Response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("3000", stream.Retry);
        Assert.Equal("live", stream.Comments.First());

        var taskId = await fx.Client.CreateTaskAsync(token, new { title = "Seen live", priority = "high" });
        var message = await stream.NextAsync();

        var row = Assert.Single(await fx.Database.QueryAsync("SELECT event_id, data FROM outbox_messages WHERE subject = @s", ("@s", taskId.ToString())));
        Assert.Equal(row["event_id"]?.ToString(), message.Id);
        Assert.Equal(Created, message.Event);
        Assert.DoesNotContain('\n', message.Data);
        var data = JsonDocument.Parse(message.Data).RootElement;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse((string)row["data"]!).RootElement, data), message.Data);
        Assert.Equal(userId, data.GetProperty("userId").GetGuid());
        Assert.Equal("Seen live", data.GetProperty("task").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_replica_forwards_every_event_while_the_users_queue_stays_a_competing_consumer()
    {
        // B: a second replica on the same database, broker and consumer group.
        await using var replicaB = new TasksService(fx.Stack.TasksDatabase.ConnectionString(), fx.Stack.Auth.BaseAddress, new Dictionary<string, string?>
        {
            ["Events:ConsumerGroup"] = fx.Stack.Tasks.ConsumerGroup,
            ["LiveUpdates:HeartbeatInterval"] = "00:00:00.300",
        }).Start();
        using var clientB = replicaB.CreateHttpClient();
        var (_, _, token) = await fx.Stack.NewUserAsync();
        await using var onA = await LiveStreamClient.ConnectAsync(fx.Client, token);
        await using var onB = await LiveStreamClient.ConnectAsync(clientB, token);

        var created = await fx.Client.CreateTaskAsync(token, new { title = "Through A" });
        var fromA = await onA.NextAsync();
        var fromB = await onB.NextAsync();
        Assert.Equal(Created, fromA.Event);
        Assert.Equal(fromA, fromB);
        Assert.Equal(created, JsonDocument.Parse(fromB.Data).RootElement.GetProperty("taskId").GetGuid());

        // And the other way round, written through B.
        using (var update = await clientB.SendAsync(HttpMethod.Patch, $"/api/tasks/{created}", token, new { title = "Through B" }))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        Assert.Equal(Updated, (await onA.NextAsync()).Event);
        Assert.Equal(Updated, (await onB.NextAsync()).Event);

        // A quiet stream gets a heartbeat comment per LiveUpdates:HeartbeatInterval (B: 300 ms; A: the 20 s default).
        var quiet = Stopwatch.StartNew();
        while (!onB.Comments.Contains("heartbeat") && quiet.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(50);
        }

        Assert.Contains("heartbeat", onB.Comments);
        Assert.DoesNotContain("heartbeat", onA.Comments);

        // The users topic is still one queue shared by both replicas (competing consumers), and still consumed once.
        Assert.Equal(2u, await AmqpEventListener.QueueConsumersAsync(fx.Stack.Tasks.UsersQueue));
        var (deletedUser, _, deletedToken) = await fx.Stack.NewUserAsync();
        await fx.Stack.AuthClient.DeleteAccountAsync(deletedToken);
        var clock = Stopwatch.StartNew();
        long handled;
        while ((handled = await fx.Database.CountAsync($"token_revocations WHERE user_id = '{deletedUser}'")) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, handled);
        var eventId = await fx.Stack.AuthDatabase.ScalarAsync("SELECT event_id FROM outbox_messages WHERE subject = @s AND type = 'com.taskmanagement.user.deleted.v1'", ("@s", deletedUser.ToString()));
        Assert.Equal(1, await fx.Database.CountAsync($"inbox_messages WHERE event_id = '{eventId}'"));
    }

    [Fact]
    public async Task Another_users_events_never_reach_a_stream()
    {
        var (_, _, alice) = await fx.Stack.NewUserAsync();
        var (_, _, bob) = await fx.Stack.NewUserAsync();
        await using var aliceStream = await LiveStreamClient.ConnectAsync(fx.Client, alice);
        await using var bobStream = await LiveStreamClient.ConnectAsync(fx.Client, bob);

        var bobsTask = await fx.Client.CreateTaskAsync(bob, new { title = "Bob's" });
        using (var deleted = await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{bobsTask}", bob))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(Created, (await bobStream.NextAsync()).Event);
        Assert.Equal(Deleted, (await bobStream.NextAsync()).Event);
        Assert.True(await aliceStream.StaysQuietAsync(TimeSpan.FromSeconds(1)), "alice's stream got bob's event");
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_exactly_the_missed_events_in_order_then_goes_live()
    {
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        string lastSeen;
        await using (var first = await LiveStreamClient.ConnectAsync(fx.Client, token))
        {
            await fx.Client.CreateTaskAsync(token, new { title = "Seen" });
            lastSeen = (await first.NextAsync()).Id!;
        }

        // Offline: an update, a completion, a new task, a deletion; another user's change in between.
        var (_, _, other) = await fx.Stack.NewUserAsync();
        var kept = await fx.Client.CreateTaskAsync(token, new { title = "Made offline" });
        await fx.Client.CreateTaskAsync(other, new { title = "Not mine" });
        using (var toggled = await fx.Client.SendAsync(HttpMethod.Patch, $"/api/tasks/{kept}/status", token))
        {
            Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
        }

        var gone = await fx.Client.CreateTaskAsync(token, new { title = "Deleted offline" });
        using (var deleted = await fx.Client.SendAsync(HttpMethod.Delete, $"/api/tasks/{gone}", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var missed = await EventIdsAfterAsync(userId, lastSeen);
        Assert.Equal(5, missed.Count); // created; the toggle's updated + completed; created; deleted

        // Changes keep coming while the client reconnects: none may be lost or doubled at the seam.
        await using var again = await LiveStreamClient.ConnectAsync(fx.Client, token, lastSeen);
        var during = Enumerable.Range(0, 10).Select(i => fx.Client.CreateTaskAsync(token, new { title = $"During {i}" })).ToList();
        await Task.WhenAll(during);
        var after = await fx.Client.CreateTaskAsync(token, new { title = "After" });

        var expected = await EventIdsAfterAsync(userId, lastSeen);
        Assert.Equal(5 + 11, expected.Count);
        var received = new List<SseMessage>();
        while (received.Count < expected.Count)
        {
            received.Add(await again.NextAsync());
        }

        Assert.Equal(missed, received.Take(missed.Count).Select(m => m.Id)); // the replay, in sequence order
        Assert.Equal(expected.Order(), received.Select(m => m.Id!).Order()); // everything, once
        Assert.DoesNotContain(received, m => m.Event == "reset");
        Assert.True(await again.StaysQuietAsync(TimeSpan.FromMilliseconds(500)), "an event arrived twice");
        // Live after the replay (across tasks the relay publishes in parallel, so only per-task order is promised).
        var afterIndex = received.FindIndex(m => m.Event == Created && JsonDocument.Parse(m.Data).RootElement.GetProperty("taskId").GetGuid() == after);
        Assert.True(afterIndex >= missed.Count, $"'After' came at {afterIndex}, inside the replay");
    }

    [Fact]
    public async Task An_unknown_or_foreign_Last_Event_ID_gets_a_reset_then_live_events()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var (otherUser, _, other) = await fx.Stack.NewUserAsync();
        await fx.Client.CreateTaskAsync(other, new { title = "Other's" });
        var foreignId = (await EventIdsAfterAsync(otherUser, null)).Single();

        foreach (var lastEventId in new[] { Guid.CreateVersion7().ToString(), foreignId, "not-a-uuid" })
        {
            await using var stream = await LiveStreamClient.ConnectAsync(fx.Client, token, lastEventId);
            var reset = await stream.NextAsync();
            Assert.Equal("reset", reset.Event);
            Assert.Equal("{}", reset.Data);
            Assert.Null(reset.Id);
            await fx.Client.CreateTaskAsync(token, new { title = "After the reset" });
            Assert.Equal(Created, (await stream.NextAsync()).Event);
        }
    }

    [Fact]
    public async Task Deleting_the_account_closes_an_open_stream_within_a_second()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        await using var stream = await LiveStreamClient.ConnectAsync(fx.Client, token);

        await fx.Stack.AuthClient.DeleteAccountAsync(token);
        var clock = Stopwatch.StartNew();
        await stream.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < CloseLimit, $"closed after {clock.ElapsedMilliseconds} ms");

        // And it cannot be reopened with that token.
        using var again = await LiveStreamClient.OpenAsync(fx.Client, token);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task A_password_change_closes_an_open_stream_within_a_second()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        await using var stream = await LiveStreamClient.ConnectAsync(fx.Client, token);

        using (var changed = await fx.Stack.AuthClient.SendAsync(HttpMethod.Put, "/api/auth/me/password", token,
            new { currentPassword = AuthApi.StrongPassword, newPassword = "Second-Horse-8-Battery" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        await stream.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < CloseLimit, $"closed after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_stream_ends_when_the_token_expires()
    {
        var (userId, username, _) = await fx.Stack.NewUserAsync();
        var key = TestTokens.ServiceKey(fx.Stack.Auth.SigningKeyPath);
        // Issued an hour ago minus two seconds: it expires two seconds from now.
        var token = TestTokens.Sign(key, new Dictionary<string, object> { ["sub"] = userId.ToString(), ["name"] = username }, DateTime.UtcNow.AddHours(-1).AddSeconds(2));
        await using var stream = await LiveStreamClient.ConnectAsync(fx.Client, token);
        var clock = Stopwatch.StartNew();

        await stream.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task Without_a_token_the_stream_is_a_401_problem()
    {
        using var response = await LiveStreamClient.OpenAsync(fx.Client, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_stream_as_event_stream_with_the_bearer_scheme()
    {
        using var response = await fx.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = (await response.JsonAsync()).GetProperty("paths").GetProperty("/api/tasks/stream").GetProperty("get");

        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _));
        Assert.Contains(operation.GetProperty("security").EnumerateArray(), s => s.TryGetProperty("Bearer", out _));
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Last-Event-ID" && p.GetProperty("in").GetString() == "header");
    }

    [Fact]
    public async Task A_reader_that_never_reads_is_dropped_and_counted_while_the_others_keep_receiving()
    {
        // A replica with a tiny buffer, so a few events fill it.
        await using var replica = new TasksService(fx.Stack.TasksDatabase.ConnectionString(), fx.Stack.Auth.BaseAddress, new Dictionary<string, string?>
        {
            ["Events:ConsumerGroup"] = fx.Stack.Tasks.ConsumerGroup,
            ["LiveUpdates:BufferSize"] = "4",
        }).Start();
        using var client = replica.CreateHttpClient();
        using var dropped = new InstrumentReader(replica.Services, "taskmanagement.live.dropped_slow_clients");
        var (userId, _, token) = await fx.Stack.NewUserAsync();
        await using var reading = await LiveStreamClient.ConnectAsync(client, token);
        // The silent reader: registered on the replica's hub exactly like a connection, and never read.
        var hub = replica.Services.GetRequiredService<LiveStreamHub>();
        var silent = hub.Open(userId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        for (var i = 0; i < 8; i++)
        {
            await fx.Client.CreateTaskAsync(token, new { title = $"Burst {i}" });
        }

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(Created, (await reading.NextAsync()).Event);
        }

        Assert.Equal(LiveStreamEnd.SlowReader, silent.End);
        Assert.True(silent.Closed.IsCancellationRequested);
        Assert.Equal(1, dropped.Sum());
        hub.Remove(silent);
        silent.Dispose();
    }

    private async Task<List<string>> EventIdsAfterAsync(Guid userId, string? lastEventId)
    {
        var rows = await fx.Database.QueryAsync(
            "SELECT event_id FROM outbox_messages WHERE partition_key = @u AND sequence > COALESCE((SELECT sequence FROM outbox_messages WHERE event_id = @e), 0) ORDER BY sequence",
            ("@u", userId.ToString()), ("@e", lastEventId ?? string.Empty));
        return [.. rows.Select(r => r["event_id"]!.ToString()!)];
    }
}
