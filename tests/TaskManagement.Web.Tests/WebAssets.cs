using System.Diagnostics;

namespace TaskManagement.Web.Tests;

/// <summary>
/// Makes sure services/TaskManagement.Web/wwwroot holds a build of the current ClientApp sources,
/// running scripts/build-web.sh when it is missing or older than the sources.
/// </summary>
public static class WebAssets
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly string[] TopLevelInputs = ["index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json"];
    private static bool _checked;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string WebRoot => Path.Combine(RepositoryRoot, "services", "TaskManagement.Web", "wwwroot");

    public static async Task EnsureBuiltAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_checked)
            {
                return;
            }

            if (IsStale())
            {
                await RunBuildAsync(cancellationToken);
            }

            _checked = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool IsStale()
    {
        var index = new FileInfo(Path.Combine(WebRoot, "index.html"));
        if (!index.Exists)
        {
            return true;
        }

        var app = Path.Combine(RepositoryRoot, "services", "TaskManagement.Web", "ClientApp");
        var sources = Directory.EnumerateFiles(Path.Combine(app, "src"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(app, "public"), "*", SearchOption.AllDirectories))
            .Concat(TopLevelInputs.Select(f => Path.Combine(app, f)))
            .Where(File.Exists);
        return sources.Any(f => File.GetLastWriteTimeUtc(f) > index.LastWriteTimeUtc);
    }

    private static async Task RunBuildAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunScriptAsync([], cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"scripts/build-web.sh failed with exit code {exitCode} (Node.js 20.19+ and npm are needed):\n{output}");
        }
    }

    /// <summary>Runs scripts/build-web.sh with the given arguments, one run at a time (npm ci must not race).</summary>
    public static async Task<(int ExitCode, string Output)> RunBuildScriptAsync(string[] arguments, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await RunScriptAsync(arguments, cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "scripts", "build-web.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        start.Environment["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1";
        start.Environment["CI"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start scripts/build-web.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskManagement.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TaskManagement.sln not found above " + AppContext.BaseDirectory);
    }
}
