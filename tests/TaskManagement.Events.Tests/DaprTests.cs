using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Dapr contract tests (no daprd here): the subscription side is driven with requests shaped exactly as daprd
/// sends them to an app, and the publishing side is checked against the sidecar's documented HTTP API.
/// </summary>
public sealed class DaprTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private SidecarRecorder _sidecar = null!;
    private ConsumerHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("evd");
        _sidecar = await SidecarRecorder.StartAsync();
        // auto mode: a configured sidecar address selects Dapr.
        _host = await ConsumerHost.StartAsync(_db, Topics.Users, new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = _sidecar.BaseAddress.ToString() });
        _client = _host.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _sidecar.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Dapr_subscribe_lists_the_topic_route_and_dead_letter_topic()
    {
        using var response = await _client.GetAsync("/dapr/subscribe");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Dapr.AspNetCore writes pubsubName and a relative route; daprd reads the JSON case-insensitively.
        var subscriptions = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, subscriptions.Count);
        var subscription = Assert.Single(subscriptions, s => s.GetProperty("topic").GetString() == Topics.Users);
        Assert.Equal("pubsub", subscription.GetProperty("pubsubName").GetString());
        Assert.Equal("api/events/users", subscription.GetProperty("route").GetString());
        Assert.Equal("users-deadletter", subscription.GetProperty("deadLetterTopic").GetString());

        // The dead-letter topic is consumed too, raw, so whatever Dapr gives up on is stored, not lost.
        var deadLetters = Assert.Single(subscriptions, s => s.GetProperty("topic").GetString() == "users-deadletter");
        Assert.Equal("pubsub", deadLetters.GetProperty("pubsubName").GetString());
        Assert.Equal("api/events/users-deadletter", deadLetters.GetProperty("route").GetString());
        Assert.Equal("true", deadLetters.GetProperty("metadata").GetProperty("rawPayload").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dead_letter_delivered_raw_as_daprd_does_is_stored_with_the_original_bytes(bool cloudEvent)
    {
        var id = Guid.NewGuid().ToString();
        var original = cloudEvent
            ? SampleEvents.DaprShaped(id, EventTypes.UserDeleted, Topics.Users, "subject")
            : Encoding.UTF8.GetBytes($"not json {id}");
        // rawPayload subscription: daprd wraps the message bytes in its own envelope under data_base64.
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["specversion"] = "1.0",
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = "Dapr",
            ["type"] = "com.dapr.event.sent",
            ["datacontenttype"] = "application/octet-stream",
            ["data_base64"] = Convert.ToBase64String(original),
            ["topic"] = "users-deadletter",
            ["pubsubname"] = "pubsub",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/users-deadletter") { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCESS", (await response.JsonAsync()).GetProperty("status").GetString());
        var row = Assert.Single(await _db.QueryAsync("SELECT topic, event_id, body FROM dead_letters WHERE body LIKE @needle", ("@needle", $"%{id}%")));
        Assert.Equal(Topics.Users, row["topic"]);
        Assert.Equal(Encoding.UTF8.GetString(original), row["body"]);
        Assert.Equal(cloudEvent ? id : null, row["event_id"]);
        Assert.Equal(0, await _host.InboxCountAsync(id)); // parked, not handled
    }

    [Fact]
    public async Task Delivery_as_daprd_posts_it_is_handled_once()
    {
        var id = Guid.NewGuid().ToString();
        var body = SampleEvents.DaprShaped(id, EventTypes.UserDeleted, Topics.Users, Guid.NewGuid().ToString());

        Assert.Equal("SUCCESS", await DeliverAsync(body));
        var effect = Assert.Single(await _host.EffectsAsync(id));
        Assert.Equal(EventTypes.UserDeleted, effect.Type);

        // Dapr redelivers (at-least-once): acknowledged, no second effect.
        Assert.Equal("SUCCESS", await DeliverAsync(body));
        Assert.Single(await _host.EffectsAsync(id));
        Assert.Equal(1, await _host.InboxCountAsync(id));
    }

    [Fact]
    public async Task Unknown_type_is_acknowledged_without_effect()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal("SUCCESS", await DeliverAsync(SampleEvents.DaprShaped(id, "com.example.other.v1", Topics.Users, "x")));
        Assert.Empty(await _host.EffectsAsync(id));
    }

    [Fact]
    public async Task Malformed_deliveries_are_dropped_to_the_dead_letter_topic()
    {
        Assert.Equal("DROP", await DeliverAsync(Encoding.UTF8.GetBytes("{ not json")));
        Assert.Equal("DROP", await DeliverAsync(Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","source":"/x","type":"{{EventTypes.UserDeleted}}","data":{"a":1} }""")));
        Assert.Equal("DROP", await DeliverAsync(SampleEvents.DaprShaped(Guid.NewGuid().ToString(), EventTypes.UserDeleted, Topics.Users, "bad", data: "text")));
    }

    [Fact]
    public async Task Handler_failure_asks_dapr_to_retry()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal("RETRY", await DeliverAsync(SampleEvents.DaprShaped(id, EventTypes.UserDeleted, Topics.Users, "fail-once")));
        Assert.Empty(await _host.EffectsAsync(id));
        Assert.Equal(0, await _host.InboxCountAsync(id));
    }

    /// <summary>
    /// Contract test of the publishing side: Auth in Dapr mode calls the sidecar's documented publish API with the
    /// already-built CloudEvent (application/cloudevents+json), so Dapr keeps its id/type/source/data.
    /// </summary>
    [Fact]
    public async Task Auth_publishes_through_the_sidecar_publish_api()
    {
        await using var db = await TestDatabase.CreateAsync("auth");
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            // The harness defaults to RabbitMQ; "auto" must pick Dapr because a sidecar address is configured.
            ["Events:Transport"] = "auto",
            ["DAPR_HTTP_ENDPOINT"] = _sidecar.BaseAddress.ToString(),
            ["DAPR_API_TOKEN"] = "sidecar-token",
            ["Events:Outbox:InitialBackoff"] = "00:00:00.200",
            ["Events:Outbox:MaxBackoff"] = "00:00:00.500",
        }).Start();
        using var client = auth.CreateHttpClient();

        using var registered = await client.RegisterAsync(AuthApi.NewUsername("dapr"));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.JsonAsync()).GetProperty("userId").GetGuid().ToString();

        var request = Assert.Single(await _sidecar.WaitForAsync(r => IsEventFor(r, userId)));
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1.0/publish/pubsub/users", request.Path);
        Assert.Equal("application/cloudevents+json", request.ContentType);
        Assert.Equal("sidecar-token", request.Headers["dapr-api-token"]);
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(request.Body, new System.Net.Mime.ContentType(request.ContentType!), null);
        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal(EventTypes.UserRegistered, cloudEvent.Type);
        Assert.Equal(EventSources.Auth, cloudEvent.Source!.OriginalString);
        Assert.Equal(userId, cloudEvent.Subject);
        Assert.NotNull(cloudEvent["traceparent"]);
        var eventId = await db.ScalarAsync("SELECT event_id FROM outbox_messages WHERE subject = @s", ("@s", userId));
        Assert.Equal(eventId?.ToString(), cloudEvent.Id);

        // The sidecar refuses: the row keeps its error and is retried until the sidecar accepts it.
        _sidecar.PublishStatus = 500;
        using var second = await client.RegisterAsync(AuthApi.NewUsername("dapr"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var secondId = (await second.JsonAsync()).GetProperty("userId").GetGuid().ToString();
        await _sidecar.WaitForAsync(r => IsEventFor(r, secondId), count: 2);
        var failed = Assert.Single(await db.QueryAsync("SELECT published_at, attempts, last_error FROM outbox_messages WHERE subject = @s", ("@s", secondId)));
        Assert.Null(failed["published_at"]);
        Assert.Contains("500", (string)failed["last_error"]!, StringComparison.Ordinal);

        _sidecar.PublishStatus = 204;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await db.ScalarAsync("SELECT published_at FROM outbox_messages WHERE subject = @s", ("@s", secondId)) is null or DBNull && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var published = Assert.Single(await db.QueryAsync("SELECT published_at, attempts, last_error FROM outbox_messages WHERE subject = @s", ("@s", secondId)));
        Assert.NotNull(published["published_at"]);
        Assert.True(Convert.ToInt32(published["attempts"], System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    private static bool IsEventFor(SidecarRequest request, string subject) =>
        request.Path.StartsWith("/v1.0/publish/", StringComparison.Ordinal)
        && JsonDocument.Parse(request.Body).RootElement.TryGetProperty("subject", out var s) && s.GetString() == subject;

    /// <summary>POSTs like daprd: structured CloudEvent, application/cloudevents+json, W3C trace headers.</summary>
    private async Task<string?> DeliverAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/users") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        request.Headers.Add("pubsubname", "pubsub");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("status").GetString();
    }
}
