namespace TaskManagement.Web.Tests;

/// <summary>
/// Runs the app's Vitest suite (password checklist, API error mapping, query building) so that
/// <c>dotnet test</c> covers the front end too.
/// </summary>
public sealed class FrontEndUnitTests
{
    [Fact]
    public async Task Vitest_suite_passes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await WebAssets.EnsureBuiltAsync(timeout.Token);

        var (exitCode, output) = await WebAssets.RunBuildScriptAsync(["--test-only"], timeout.Token);

        Assert.True(exitCode == 0, $"scripts/build-web.sh --test-only failed (exit {exitCode}):\n{output}");
        Assert.Matches(@"Tests\s+\d+ passed", output);
    }
}
