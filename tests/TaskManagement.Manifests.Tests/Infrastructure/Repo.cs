using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>Locations in the repository and in the shared schema folder beside it.</summary>
internal static class Repo
{
    public const string NoSchemasVariable = "TASKMGMT_NO_SHARED_SCHEMAS";

    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The shared schemas: a sibling of the clone (<c>&lt;clone&gt;/../shared/schemas</c>).</summary>
    public static string Schemas
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", "schemas"));
            if (!Directory.Exists(dir))
            {
                throw new InvalidOperationException(
                    $"Schema folder {dir} is missing. CI lays shared/ beside the clone; set {NoSchemasVariable}=1 to skip schema tests.");
            }

            return dir;
        }
    }

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TaskManagement.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TaskManagement.sln not found above " + AppContext.BaseDirectory);
    }
}

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

/// <summary>A [Fact] that is skipped only when TASKMGMT_NO_SHARED_SCHEMAS=1; otherwise a missing schema folder fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SchemaFactAttribute : FactAttribute
{
    public SchemaFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Repo.NoSchemasVariable) == "1")
        {
            Skip = $"{Repo.NoSchemasVariable}=1: shared schemas not available";
        }
    }
}

/// <summary>The [Theory] counterpart of <see cref="SchemaFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SchemaTheoryAttribute : TheoryAttribute
{
    public SchemaTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Repo.NoSchemasVariable) == "1")
        {
            Skip = $"{Repo.NoSchemasVariable}=1: shared schemas not available";
        }
    }
}
