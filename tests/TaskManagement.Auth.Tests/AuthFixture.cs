namespace TaskManagement.Auth.Tests;

/// <summary>Auth on its own database on the real MariaDB, shared by one test class.</summary>
public sealed class AuthFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public AuthService Service { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("auth");
        Service = new AuthService(Database.ConnectionString(), AuthService.NewKeyPath()).Start();
        Client = Service.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Service.DisposeAsync();
        await Database.DisposeAsync();
    }
}
