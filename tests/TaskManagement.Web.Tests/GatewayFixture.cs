namespace TaskManagement.Web.Tests;

/// <summary>Web in local mode in front of two stub services (no real Auth/Tasks needed).</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public StubUpstream Auth { get; private set; } = null!;

    public StubUpstream Tasks { get; private set; } = null!;

    public WebHost Web { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await WebAssets.EnsureBuiltAsync();
        Auth = await StubUpstream.StartAsync("auth");
        Tasks = await StubUpstream.StartAsync("tasks");
        Web = new WebHost(new Dictionary<string, string?>
        {
            ["Gateway:AuthUrl"] = Auth.BaseAddress.ToString(),
            ["Gateway:TasksUrl"] = Tasks.BaseAddress.ToString(),
            // Short enough for a test to see the 504; the production value (15s) is checked separately.
            ["Gateway:TasksTimeout"] = "00:00:01",
            ["Gateway:RetryBaseDelay"] = "00:00:00.005",
        });
        Client = Web.Start();
        // One request through each route first: the first proxied request pays for JIT and connection
        // set-up, which on a loaded machine can exceed the 1 s Tasks timeout a test then blames on retries.
        foreach (var route in new[] { "/api/auth/warm-up", "/api/tasks/warm-up" })
        {
            using var response = await Client.GetAsync(route);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Web.DisposeAsync();
        await Auth.DisposeAsync();
        await Tasks.DisposeAsync();
    }
}
