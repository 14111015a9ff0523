using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Tasks.LiveUpdates;

/// <summary>
/// <c>GET /api/tasks/stream</c>: the caller's task events as server-sent events (docs/events.md, "Live updates").
/// The SSE text is written here rather than with <c>TypedResults.ServerSentEvents</c>, which cannot write the comment
/// lines (<c>: live</c>, <c>: heartbeat</c>) the contract needs.
/// </summary>
public static class LiveStreamEndpoints
{
    public const string MediaType = "text/event-stream";

    public static RouteGroupBuilder MapLiveStream(this RouteGroupBuilder tasks)
    {
        tasks.MapGet("/stream", StreamAsync)
            .WithSummary("The caller's task events, live (server-sent events); Last-Event-ID replays what was missed.")
            .WithDescription("id = the CloudEvent id, event = its type (com.taskmanagement.task.created.v1, …updated.v1, "
                + "…completed.v1, …deleted.v1), data = its data as one line of JSON. `event: reset` means the missed events "
                + "cannot be replayed: refetch. A `: heartbeat` comment every LiveUpdates:HeartbeatInterval. The stream ends "
                + "when the token expires or is revoked, or when the client reads too slowly.")
            .Produces<string>(StatusCodes.Status200OK, MediaType);
        return tasks;
    }

    private static async Task StreamAsync(
        HttpContext http,
        ClaimsPrincipal user,
        LiveStreamHub hub,
        LiveReplay replay,
        TasksMetrics metrics,
        IOptions<LiveUpdatesOptions> options,
        TimeProvider clock,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        CancellationToken ct)
    {
        var userId = user.GetUserId();
        // Subscribe before reading the replay: events committed meanwhile wait in the buffer (no gap), and those the
        // replay already sent are skipped when the buffer is drained (no duplicate).
        using var stream = hub.Open(userId, Claim(user, JwtRegisteredClaimNames.Iat), Claim(user, JwtRegisteredClaimNames.Exp));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stream.Closed);
        var token = linked.Token;
        var response = http.Response;
        try
        {
            response.ContentType = MediaType;
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteAsync(response, stream, clock, $"retry: {options.Value.RetryMilliseconds.ToString(CultureInfo.InvariantCulture)}\n: live\n\n", token);

            HashSet<string>? replayed = null;
            if (!string.IsNullOrWhiteSpace(lastEventId))
            {
                var missed = await replay.AfterAsync(userId, lastEventId.Trim(), token);
                metrics.Replayed(missed is null ? "reset" : "replayed");
                if (missed is null)
                {
                    await WriteAsync(response, stream, clock, "event: reset\ndata: {}\n\n", token);
                }
                else
                {
                    replayed = [.. missed.Select(e => e.Id)];
                    var text = new StringBuilder();
                    foreach (var missedEvent in missed)
                    {
                        Append(text, missedEvent);
                    }

                    await WriteAsync(response, stream, clock, text.ToString(), token);
                }
            }

            var batch = new StringBuilder();
            while (await stream.Events.WaitToReadAsync(token))
            {
                batch.Clear();
                while (stream.Events.TryRead(out var live))
                {
                    if (ReferenceEquals(live, LiveEvent.Heartbeat))
                    {
                        batch.Append(": heartbeat\n\n");
                    }
                    else if (replayed is null || !replayed.Contains(live.Id))
                    {
                        Append(batch, live);
                    }
                }

                if (batch.Length > 0)
                {
                    await WriteAsync(response, stream, clock, batch.ToString(), token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away, or the server closed the stream (see below).
        }
        finally
        {
            hub.Remove(stream);
        }

        if (stream.End == LiveStreamEnd.SlowReader)
        {
            // Its socket may be full: completing the response gracefully could wait on it, so the connection is cut.
            http.Abort();
        }
    }

    private static void Append(StringBuilder text, LiveEvent live) =>
        text.Append("id: ").Append(live.Id).Append('\n')
            .Append("event: ").Append(live.Type).Append('\n')
            .Append("data: ").Append(live.Data).Append("\n\n");

    private static async Task WriteAsync(HttpResponse response, LiveStream stream, TimeProvider clock, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
        stream.Wrote(clock.GetUtcNow());
    }

    /// <summary>A NumericDate claim (bearer validation already required iat and exp).</summary>
    private static DateTimeOffset Claim(ClaimsPrincipal user, string name) =>
        long.TryParse(user.FindFirstValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new InvalidOperationException($"A validated token without a usable {name} claim.");
}
