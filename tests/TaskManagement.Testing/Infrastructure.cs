using MySqlConnector;

namespace TaskManagement.Testing;

/// <summary>
/// The real servers started by <c>scripts/infra.sh up</c>; their settings come from the generated
/// <c>.data/infra.env</c>. Tests fail with a clear message when the script has not been run.
/// </summary>
public static class Infrastructure
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(Load);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Get(string name) => Settings.Value.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"{name} is missing from .data/infra.env; run scripts/infra.sh up.");

    public static string DbHost => Get("TASKMGMT_DB_HOST");

    public static int DbPort => int.Parse(Get("TASKMGMT_DB_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Connection string of the admin account tests use to create and drop their own databases.</summary>
    public static string AdminConnectionString(string? database = null, int? port = null) => new MySqlConnectionStringBuilder
    {
        Server = DbHost,
        Port = (uint)(port ?? DbPort),
        UserID = Get("TASKMGMT_DB_ADMIN_USER"),
        Password = Get("TASKMGMT_DB_ADMIN_PASSWORD"),
        Database = database ?? string.Empty,
        ConnectionTimeout = 5,
    }.ConnectionString;

    public static string AmqpHost => Get("TASKMGMT_AMQP_HOST");

    public static int AmqpPort => int.Parse(Get("TASKMGMT_AMQP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string AmqpUser => Get("TASKMGMT_AMQP_USER");

    public static string AmqpPassword => Get("TASKMGMT_AMQP_PASSWORD");

    /// <summary>
    /// The <c>Database:ServerVersion</c> setting for the running server (MariaDB here, MySQL 8 in production),
    /// detected and written by Pomelo itself, so it is the string the services' <c>ServerVersion.Parse</c>
    /// reads. scripts/service-env.sh derives the same string in shell for scripts/run.sh.
    /// </summary>
    public static string ServerVersion => ServerVersionValue.Value;

    private static readonly Lazy<string> ServerVersionValue = new(() =>
        Microsoft.EntityFrameworkCore.ServerVersion.AutoDetect(AdminConnectionString()).ToString());

    private static Dictionary<string, string> Load()
    {
        var path = Path.Combine(RepositoryRoot, ".data", "infra.env");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: run scripts/infra.sh up (the README's test command does).");
        }

        return File.ReadAllLines(path)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
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
