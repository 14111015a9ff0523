using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TaskManagement.Web.Gateway;

namespace TaskManagement.Web.Tests;

/// <summary>
/// TaskManagement.Web's real Program on Kestrel at a free loopback port, serving the built wwwroot.
/// (A type from the Web assembly names the entry point, so no other service's Program can clash.)
/// </summary>
public sealed class WebHost : WebApplicationFactory<GatewayOptions>
{
    private readonly Dictionary<string, string?> _settings;

    public WebHost(IDictionary<string, string?> settings)
    {
        _settings = new(settings, StringComparer.OrdinalIgnoreCase);
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>Starts Kestrel and returns a plain network client to it (no redirects, no cookies).</summary>
    public HttpClient Start()
    {
        StartServer();
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
