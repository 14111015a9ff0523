using System.Globalization;
using Microsoft.AspNetCore.Builder;

namespace TaskManagement.Events.Tests;

/// <summary>A Kestrel app a test starts on a free loopback port; disposing it stops the app.</summary>
public abstract class LoopbackWebHost(WebApplication app, int port) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = new(Url(port));

    protected WebApplication App { get; } = app;

    /// <summary>The address to bind <paramref name="port"/> on (and to call it at).</summary>
    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
