using Microsoft.Playwright;
using TaskManagement.Testing;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The real stack for the browser tests: Auth and Tasks (on the real database), Web in this process
/// as the gateway in front of them, and headless Chromium.
/// </summary>
/// <remarks>
/// Auth and Tasks are found through <c>TASKMGMT_AUTH_URL</c> and <c>TASKMGMT_TASKS_URL</c> (for example
/// the services started by the README's run command). <see cref="StartBackendsAsync"/> is the one place
/// to change when the shared harness (tests/TaskManagement.Testing) hosts them in-process instead.
/// Nothing here is faked: without reachable services every browser test fails and says why.
/// </remarks>
public sealed class StackFixture : IAsyncLifetime
{
    public const string AuthUrlVariable = "TASKMGMT_AUTH_URL";
    public const string TasksUrlVariable = "TASKMGMT_TASKS_URL";

    public Uri AuthUrl { get; private set; } = null!;

    public Uri TasksUrl { get; private set; } = null!;

    private TaskStack? _backends;

    public WebHost Web { get; private set; } = null!;

    /// <summary>http://127.0.0.1:port/ of the in-process Web gateway the browser talks to.</summary>
    public Uri AppUrl => Web.BaseAddress;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (AuthUrl, TasksUrl) = await StartBackendsAsync();
        await WaitUntilAnsweringAsync("Auth", AuthUrl, AuthUrlVariable);
        await WaitUntilAnsweringAsync("Tasks", TasksUrl, TasksUrlVariable);

        await WebAssets.EnsureBuiltAsync();
        Web = new WebHost(new Dictionary<string, string?>
        {
            ["Gateway:AuthUrl"] = AuthUrl.ToString(),
            ["Gateway:TasksUrl"] = TasksUrl.ToString(),
        });
        Web.Start().Dispose();

        (Playwright, Browser) = await BrowserSession.LaunchAsync();
    }

    /// <summary>A fresh browser profile (own sessionStorage), phone- or desktop-sized, as a distinct client address.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = AppUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
            // Each context is its own client to the rate limiters: the gateway trusts loopback and passes
            // this on, exactly as it passes on the address a real edge proxy reports.
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = $"198.51.100.{Random.Shared.Next(1, 255)}" },
        });

    /// <summary>
    /// Where Auth and Tasks are: already-running services named by the two variables, or else the
    /// shared harness's real services on throwaway databases, hosted in this process.
    /// </summary>
    private async Task<(Uri Auth, Uri Tasks)> StartBackendsAsync()
    {
        var auth = Environment.GetEnvironmentVariable(AuthUrlVariable);
        var tasks = Environment.GetEnvironmentVariable(TasksUrlVariable);
        if (!string.IsNullOrWhiteSpace(auth) && !string.IsNullOrWhiteSpace(tasks))
        {
            return (new Uri(auth), new Uri(tasks));
        }

        _backends = await TaskStack.StartAsync();
        return (_backends.Auth.BaseAddress, _backends.Tasks.BaseAddress);
    }

    private static async Task WaitUntilAnsweringAsync(string name, Uri service, string variable)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(service, "/health/live");
        Exception? last = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"{name} is not answering at {health} ({variable}): {last?.Message}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }

        if (_backends is not null)
        {
            await _backends.DisposeAsync();
        }
    }
}
