using TaskManagement.Testing;

namespace TaskManagement.Tasks.Tests;

/// <summary>Real Auth + real Tasks on their own databases, shared by one test class.</summary>
public sealed class TasksFixture : IAsyncLifetime
{
    public TaskStack Stack { get; private set; } = null!;

    public HttpClient Client => Stack.TasksClient;

    public TestDatabase Database => Stack.TasksDatabase;

    public async Task InitializeAsync() => Stack = await TaskStack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
