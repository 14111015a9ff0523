using System.Text.Json;
using CloudNative.CloudEvents;
using RabbitMQ.Client;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Each Auth operation that changes a user produces exactly one CloudEvent on the <c>users</c> exchange, as a
/// plain AMQP subscriber (RabbitMQ.Client, no MassTransit) receives it, parsed by the CloudNative SDK.
/// </summary>
public sealed class AuthEventTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private AuthService _auth = null!;
    private HttpClient _client = null!;
    private AmqpEventListener _listener = null!;

    public async Task InitializeAsync()
    {
        _listener = await AmqpEventListener.StartAsync(Topics.Users, Topics.Tasks);
        _db = await TestDatabase.CreateAsync("auth");
        _auth = new AuthService(_db.ConnectionString(), AuthService.NewKeyPath(), AmqpEventListener.ServiceSettings()).Start();
        _client = _auth.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _auth.DisposeAsync();
        await _db.DisposeAsync();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task Register_publishes_exactly_one_user_registered_cloud_event()
    {
        var username = AuthApi.NewUsername("evt");
        using var response = await _client.RegisterAsync(username);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var userId = (await response.JsonAsync()).GetProperty("userId").GetGuid();

        var delivery = Assert.Single(await ExactlyOneAsync(userId.ToString(), EventTypes.UserRegistered));
        AssertWireFormat(delivery, Topics.Users);

        var cloudEvent = delivery.CloudEvent;
        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal(EventTypes.UserRegistered, cloudEvent.Type);
        Assert.Equal(EventSources.Auth, cloudEvent.Source!.OriginalString);
        Assert.Equal(userId.ToString(), cloudEvent.Subject);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.True(Guid.TryParse(cloudEvent.Id, out _));
        Assert.NotNull(cloudEvent.Time);
        Assert.InRange(cloudEvent.Time!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        // The trace of the HTTP request that caused the event travels with it.
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", (string)cloudEvent["traceparent"]!);

        var data = Assert.IsType<JsonElement>(cloudEvent.Data);
        Assert.Equal(userId, data.GetProperty("userId").GetGuid());
        Assert.Equal(username, data.GetProperty("username").GetString());
        Assert.True(data.TryGetProperty("registeredAt", out _));
        Assert.DoesNotContain("\\u002B", delivery.Text, StringComparison.Ordinal);

        // The row is marked when the relay's transaction commits, just after the broker confirmed the event.
        var row = Assert.Single(await _db.QueryAsync("SELECT published_at, attempts, last_error FROM outbox_messages WHERE event_id = @id", ("@id", cloudEvent.Id)));
        for (var i = 0; i < 50 && row["published_at"] is null; i++)
        {
            await Task.Delay(200);
            row = Assert.Single(await _db.QueryAsync("SELECT published_at, attempts, last_error FROM outbox_messages WHERE event_id = @id", ("@id", cloudEvent.Id)));
        }

        Assert.NotNull(row["published_at"]);
        Assert.Null(row["last_error"]);
    }

    [Fact]
    public async Task Delete_account_publishes_exactly_one_user_deleted_cloud_event()
    {
        var (userId, username, token) = await _client.RegisterAndLoginAsync(AuthApi.NewUsername("evt"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var delivery = Assert.Single(await ExactlyOneAsync(userId.ToString(), EventTypes.UserDeleted));
        AssertWireFormat(delivery, Topics.Users);
        var cloudEvent = delivery.CloudEvent;
        Assert.Equal(EventSources.Auth, cloudEvent.Source!.OriginalString);
        Assert.Equal(userId.ToString(), cloudEvent.Subject);
        var data = Assert.IsType<JsonElement>(cloudEvent.Data);
        Assert.Equal(userId, data.GetProperty("userId").GetGuid());
        Assert.Equal(username, data.GetProperty("username").GetString());
        Assert.True(data.TryGetProperty("deletedAt", out _));
    }

    [Fact]
    public async Task Operations_without_state_change_publish_nothing()
    {
        var (userId, _, token) = await _client.RegisterAndLoginAsync(AuthApi.NewUsername("evt"));
        await ExactlyOneAsync(userId.ToString(), EventTypes.UserRegistered);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/auth/me"), (HttpMethod.Post, "/api/auth/verify") })
        {
            using var response = await _client.SendAsync(new HttpRequestMessage(method, path).WithBearer(token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Task.Delay(500);
        var match = AmqpEventListener.Subject(userId.ToString());
        Assert.Single(_listener.Deliveries, d => match(d));
    }

    [Fact]
    public async Task A_password_change_publishes_exactly_one_credentials_changed_event_with_a_whole_second_not_before()
    {
        var (userId, _, token) = await _client.RegisterAndLoginAsync(AuthApi.NewUsername("evt"));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/auth/me/password").WithBearer(token);
        request.Content = JsonContent(new { currentPassword = AuthApi.StrongPassword, newPassword = "Another-Horse-7-Battery" });
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var delivery = Assert.Single(await ExactlyOneAsync(userId.ToString(), EventTypes.UserCredentialsChanged));
        AssertWireFormat(delivery, Topics.Users);
        Assert.Equal(EventSources.Auth, delivery.CloudEvent.Source!.OriginalString);
        var data = Assert.IsType<JsonElement>(delivery.CloudEvent.Data);
        Assert.Equal(userId, data.GetProperty("userId").GetGuid());
        var changedAt = data.GetProperty("changedAt").GetDateTimeOffset();
        var notBefore = data.GetProperty("notBefore").GetDateTimeOffset();
        Assert.Equal(0, notBefore.Millisecond);
        Assert.True(notBefore > changedAt && notBefore - changedAt <= TimeSpan.FromSeconds(1));

        // The column Auth itself checks holds the same not-before.
        var stored = (DateTime)(await _db.ScalarAsync("SELECT credentials_valid_from FROM users WHERE id = @id", ("@id", userId.ToString())))!;
        Assert.Equal(notBefore.UtcDateTime, DateTime.SpecifyKind(stored, DateTimeKind.Utc));
    }

    /// <summary>The message as it sits on the broker: exactly the CloudEvent JSON, persistent, structured content type.</summary>
    internal static void AssertWireFormat(AmqpDelivery delivery, string exchange)
    {
        Assert.Equal(exchange, delivery.Exchange);
        Assert.Equal("application/cloudevents+json", delivery.Properties.ContentType);
        Assert.Equal(DeliveryModes.Persistent, delivery.Properties.DeliveryMode);
        var json = delivery.Json;
        // No MassTransit envelope, lower-case CloudEvents attribute names.
        var names = json.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("message", names);
        Assert.DoesNotContain("messageType", names);
        Assert.Subset(names, new HashSet<string>(["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"], StringComparer.Ordinal));
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("data").ValueKind);
    }

    private async Task<List<AmqpDelivery>> ExactlyOneAsync(string subject, string type)
    {
        var matches = await _listener.WaitForAsync(AmqpEventListener.Subject(subject, type));
        // Give a duplicate time to show up before asserting there is none.
        await Task.Delay(300);
        return _listener.Deliveries.Where(AmqpEventListener.Subject(subject, type)).ToList();
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
