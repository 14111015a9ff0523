namespace TaskManagement.Testing;

/// <summary>A service host the harness can start: <see cref="ServiceHostExtensions.Start{THost}"/>.</summary>
public interface IServiceHost
{
    Uri BaseAddress { get; }

    void StartServer();
}
