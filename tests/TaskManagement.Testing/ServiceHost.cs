using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Testing;

/// <summary>
/// Hosts a service's real Program on Kestrel at a free loopback port (real sockets, so client
/// addresses, forwarded headers and JWKS discovery behave as in production).
/// </summary>
public class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IServiceHost
    where TEntryPoint : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<Action<IServiceCollection>> _services = [];

    public ServiceHost(IDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        Port = Ports.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>Changes the service's registrations after its own (before <c>Start</c>); for what settings cannot say.</summary>
    public void ConfigureServices(Action<IServiceCollection> configure) => _services.Add(configure);

    /// <summary>A plain HttpClient over the network to this service.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development unless a test asks for another environment (e.g. to check production-only rules).
        builder.UseEnvironment(_settings.TryGetValue(ServiceHostExtensions.EnvironmentSetting, out var environment) && environment is not null ? environment : "Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => _services.ForEach(configure => configure(services)));
    }
}
