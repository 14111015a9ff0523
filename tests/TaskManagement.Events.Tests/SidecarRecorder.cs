using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TaskManagement.Testing;

namespace TaskManagement.Events.Tests;

/// <summary>One request the fake sidecar received.</summary>
public sealed record SidecarRequest(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// Plays the Dapr sidecar's documented HTTP API (docs.dapr.io "Pub/sub API": POST /v1.0/publish/{pubsubname}/{topic},
/// 204 on success; GET /v1.0/healthz/outbound). It records what the app sends; no daprd is involved.
/// </summary>
public sealed class SidecarRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SidecarRecorder(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<SidecarRequest> Requests { get; } = new();

    /// <summary>Status returned to publish calls; 204 is what daprd answers on success.</summary>
    public int PublishStatus { get; set; } = StatusCodes.Status204NoContent;

    public static async Task<SidecarRecorder> StartAsync()
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var recorder = new SidecarRecorder(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
        app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            recorder.Requests.Enqueue(new SidecarRequest(
                http.Request.Method,
                http.Request.Path + http.Request.QueryString,
                http.Request.ContentType,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            http.Response.StatusCode = http.Request.Path.StartsWithSegments("/v1.0/publish") ? recorder.PublishStatus : StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        return recorder;
    }

    public async Task<List<SidecarRequest>> WaitForAsync(Func<SidecarRequest, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var matches = Requests.Where(match).ToList();
            if (matches.Count >= count || DateTime.UtcNow > deadline)
            {
                return matches;
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
