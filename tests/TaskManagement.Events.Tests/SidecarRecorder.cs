using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Plays the Dapr sidecar's documented HTTP API (docs.dapr.io "Pub/sub API": POST /v1.0/publish/{pubsubname}/{topic},
/// 204 on success; GET /v1.0/healthz/outbound). It records what the app sends; no daprd is involved.
/// </summary>
public sealed class SidecarRecorder : LoopbackWebHost
{
    private SidecarRecorder(WebApplication app, int port)
        : base(app, port)
    {
    }

    public ConcurrentQueue<SidecarRequest> Requests { get; } = new();

    /// <summary>Status returned to publish calls; 204 is what daprd answers on success.</summary>
    public int PublishStatus { get; set; } = StatusCodes.Status204NoContent;

    public static async Task<SidecarRecorder> StartAsync()
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Url(port));
        var app = builder.Build();
        var recorder = new SidecarRecorder(app, port);
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
}
