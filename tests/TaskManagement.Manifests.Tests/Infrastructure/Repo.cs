namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>Locations in the repository.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The upstream schemas the tests validate against, vendored beside the tests (Schemas/SOURCES.md
    /// names each upstream project, version and licence): a fresh clone needs nothing outside itself.
    /// </summary>
    public static string Schemas => PathOf("tests", "TaskManagement.Manifests.Tests", "Schemas");

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
