using Microsoft.Playwright;

namespace TaskManagement.Web.Tests;

/// <summary>
/// Headless Debian Chromium driven by Playwright. Playwright never downloads a browser here:
/// <c>/usr/bin/chromium</c> (or <c>TASKMGMT_CHROMIUM</c>) is launched through <c>ExecutablePath</c>.
/// </summary>
public static class BrowserSession
{
    public const string ChromiumVariable = "TASKMGMT_CHROMIUM";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. Install Debian's package (apt-get install -y chromium) or set {ChromiumVariable}.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Where step screenshots go: .artifacts/screenshots/ at the repository root (git-ignored).</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(WebAssets.RepositoryRoot, ".artifacts", "screenshots")).FullName;
}
