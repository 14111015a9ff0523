namespace TaskManagement.Tasks.Tests;

/// <summary>Real Auth + real Tasks on their own databases, shared by one test class.</summary>
public sealed class TasksFixture : IAsyncLifetime
{
    public TaskStack Stack { get; private set; } = null!;

    public HttpClient Client => Stack.TasksClient;

    public TestDatabase Database => Stack.TasksDatabase;

    /// <summary>A new user's token and the id of one task of theirs, created from <paramref name="task"/>.</summary>
    public async Task<(string Token, Guid Id)> NewUserWithTaskAsync(object task)
    {
        var (_, _, token) = await Stack.NewUserAsync();
        return (token, await Client.CreateTaskAsync(token, task));
    }

    public async Task InitializeAsync() => Stack = await TaskStack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
