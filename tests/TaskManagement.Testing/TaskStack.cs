namespace TaskManagement.Testing;

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

    public static async Task<TaskStack> StartAsync(IDictionary<string, string?>? tasksOverrides = null, IDictionary<string, string?>? authOverrides = null)
    {
        var authDb = await TestDatabase.CreateAsync("auth");
        var tasksDb = await TestDatabase.CreateAsync("tasks");
        var auth = new AuthService(authDb.ConnectionString(), AuthService.NewKeyPath(), authOverrides).Start();
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
