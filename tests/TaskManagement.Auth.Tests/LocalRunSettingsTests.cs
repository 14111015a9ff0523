using System.Diagnostics;

namespace TaskManagement.Auth.Tests;

/// <summary>The settings scripts/run.sh starts the services with (scripts/service-env.sh) agree with the harness's.</summary>
public sealed class LocalRunSettingsTests
{
    [Fact]
    public async Task The_run_script_derives_the_server_version_pomelo_detects()
    {
        var bash = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     "-c", """set -a; . "$1/.data/infra.env"; set +a; . "$1/scripts/service-env.sh" && printf %s "$DB_SERVER_VERSION" """,
                     "service-env", Infrastructure.RepositoryRoot,
                 })
        {
            bash.ArgumentList.Add(argument);
        }

        using var process = Process.Start(bash)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, "scripts/service-env.sh failed: " + errors);
        Assert.Equal(Infrastructure.ServerVersion, output);
    }
}
