using Microsoft.Playwright;

namespace TaskManagement.Web.Tests;

/// <summary>Numbered full-page screenshots under .artifacts/screenshots/, for whoever reads a failure.</summary>
public sealed class Screenshots(string prefix)
{
    private int _step;

    public async Task TakeAsync(IPage page, string name)
    {
        var file = System.IO.Path.Combine(BrowserSession.ScreenshotDirectory, $"{prefix}-{++_step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
    }
}
