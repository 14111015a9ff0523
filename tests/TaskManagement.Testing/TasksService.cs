using TaskManagement.Tasks.Data;

namespace TaskManagement.Testing;

/// <summary>The real Task service on its own throwaway database, validating tokens through the given Auth's discovery.</summary>
public sealed class TasksService(string connectionString, Uri authBaseAddress, IDictionary<string, string?>? overrides = null)
    : ServiceHost<TasksDbContext>(Settings(connectionString, authBaseAddress, overrides))
{
    private static Dictionary<string, string?> Settings(string connectionString, Uri authBaseAddress, IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["Database:ServerVersion"] = Infrastructure.ServerVersion,
            ["Jwt:Authority"] = new Uri(authBaseAddress, "/api/auth").ToString(),
            ["RateLimiting:General:PermitLimit"] = "100000",
            ["RateLimiting:TaskCreate:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>Auth and Tasks, each on its own database: what the Task service's tests run against.</summary>
public sealed class TaskStack : IAsyncDisposable
{
    private TaskStack(TestDatabase authDb, TestDatabase tasksDb, AuthService auth, TasksService tasks)
    {
        AuthDatabase = authDb;
        TasksDatabase = tasksDb;
        Auth = auth;
        Tasks = tasks;
        AuthClient = auth.CreateHttpClient();
        TasksClient = tasks.CreateHttpClient();
    }

    public TestDatabase AuthDatabase { get; }

    public TestDatabase TasksDatabase { get; }

    public AuthService Auth { get; }

    public TasksService Tasks { get; }

    public HttpClient AuthClient { get; }

    public HttpClient TasksClient { get; }

    public static async Task<TaskStack> StartAsync(IDictionary<string, string?>? tasksOverrides = null)
    {
        var authDb = await TestDatabase.CreateAsync("auth");
        var tasksDb = await TestDatabase.CreateAsync("tasks");
        var auth = new AuthService(authDb.ConnectionString(), AuthService.NewKeyPath()).Start();
        var tasks = new TasksService(tasksDb.ConnectionString(), auth.BaseAddress, tasksOverrides).Start();
        return new TaskStack(authDb, tasksDb, auth, tasks);
    }

    /// <summary>A new user with a real token from the real Auth service.</summary>
    public Task<(Guid UserId, string Username, string Token)> NewUserAsync() => AuthClient.RegisterAndLoginAsync();

    public async ValueTask DisposeAsync()
    {
        AuthClient.Dispose();
        TasksClient.Dispose();
        await Tasks.DisposeAsync();
        await Auth.DisposeAsync();
        await TasksDatabase.DisposeAsync();
        await AuthDatabase.DisposeAsync();
    }
}
