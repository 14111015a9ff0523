using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TaskManagement.Testing;
using TaskManagement.Web.Gateway;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// TaskManagement.Web's real Program (gateway in local mode, Production environment) on Kestrel at a
/// free loopback port, in front of the real Auth and Tasks. The SPA files are not needed: only /api is fuzzed.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<GatewayOptions>
{
    private readonly Dictionary<string, string?> _settings;

    public GatewayHost(Uri auth, Uri tasks)
    {
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Gateway:AuthUrl"] = auth.ToString(),
            ["Gateway:TasksUrl"] = tasks.ToString(),
            ["RateLimiting:General:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Critical",
        };
        Port = Ports.Free();
        UseKestrel(Port);
    }

    public int Port { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
