using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>Renders kustomize directories with <c>kubectl kustomize</c> (cached per directory).</summary>
internal static class Kustomize
{
    private static readonly Dictionary<string, IReadOnlyList<Dictionary<string, object?>>> Cache = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static IReadOnlyList<Dictionary<string, object?>> Render(string relativeDir)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(relativeDir, out var docs))
            {
                docs = YamlModel.LoadAll(Run(relativeDir));
                Cache[relativeDir] = docs;
            }

            return docs;
        }
    }

    private static string Run(string relativeDir)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("kustomize");
        psi.ArgumentList.Add(Repo.PathOf(relativeDir));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start kubectl");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"kubectl kustomize {relativeDir} failed ({process.ExitCode}): {stderr.Result}"));
        }

        return stdout;
    }
}
