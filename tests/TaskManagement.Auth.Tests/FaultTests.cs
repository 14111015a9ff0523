namespace TaskManagement.Auth.Tests;

/// <summary>The database goes away behind the service (a TCP proxy is cut) and comes back; no restart.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private TcpProxy _proxy = null!;
    private AuthService _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("auth");
        _proxy = new TcpProxy(Infrastructure.DbHost, Infrastructure.DbPort);
        _proxy.Start();
        _service = new AuthService(_db.ConnectionString(_proxy.Port), AuthService.NewKeyPath()).Start();
        _client = _service.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _proxy.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Database_down_gives_503_problems_and_the_service_recovers_by_itself()
    {
        var (_, username, _) = await _client.RegisterAndLoginAsync();
        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        _proxy.Stop();

        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var health = await _client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        using (var live = await _client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode); // a database outage must not get the pod restarted
        }

        using (var login = await _client.LoginAsync(username))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(login.Headers.RetryAfter);
            var text = await login.Content.ReadAsStringAsync();
            Assert.Contains("temporarily unavailable", text, StringComparison.Ordinal);
            Assert.DoesNotContain("MySql", text, StringComparison.OrdinalIgnoreCase);
        }

        using (var register = await _client.RegisterAsync(AuthApi.NewUsername("down")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, register.StatusCode);
        }

        _proxy.Start();

        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await _client.AssertLoginAsync(HttpStatusCode.OK, username);
    }
}
