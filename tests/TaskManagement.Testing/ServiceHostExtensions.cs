namespace TaskManagement.Testing;

/// <summary>Starting a host and choosing its environment.</summary>
public static class ServiceHostExtensions
{
    /// <summary>Setting that selects the hosting environment instead of Development.</summary>
    public const string EnvironmentSetting = "TestHost:Environment";

    /// <summary>Starts the server (migrating its database) and returns once it accepts requests.</summary>
    public static THost Start<THost>(this THost host)
        where THost : IServiceHost
    {
        host.StartServer();
        return host;
    }
}
