using Microsoft.Playwright;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The browser profiles one test opens against the stack — each a separate device with its own sessionStorage —
/// whose console and page errors (CSP violations, exceptions) fail the test.
/// </summary>
public sealed class BrowserDevices(StackFixture stack) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _errors = [];

    /// <summary>A user name no other test uses, within the 50-character limit.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 50)];

    /// <summary>A fresh browser profile (own sessionStorage) whose console errors and page errors are recorded.</summary>
    public async Task<IPage> OpenAsync()
    {
        var context = await stack.NewContextAsync();
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Expected 4xx/5xx answers are logged by Chromium as "Failed to load resource"; CSP breaches are not expected.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Add(error);
        return page;
    }

    /// <summary>Fails on any recorded error; with <paramref name="allowOffline"/>, not on those of a device taken offline.</summary>
    public void AssertNoErrors(bool allowOffline = false)
    {
        var errors = _errors.Where(e => !(allowOffline && e.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "Browser console errors (CSP violations, exceptions):\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
