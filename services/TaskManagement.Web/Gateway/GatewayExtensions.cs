using System.Buffers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace TaskManagement.Web.Gateway;

/// <summary>
/// Local-mode gateway on YARP: <c>/api/auth/{**rest}</c> → Auth and <c>/api/tasks/{**rest}</c> → Tasks,
/// paths unchanged, as the Istio VirtualService routes them. Off when <c>Gateway:Enabled</c> is false.
/// <c>/api/tasks/stream</c> (the live task events) has a route of its own: no whole-request timeout, an activity
/// timeout above the stream's heartbeat, no retries; the response is passed on as it arrives.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>Route and cluster id of the live task stream, which <see cref="RetryingForwarderHttpClientFactory"/> never retries.</summary>
    internal const string TasksStream = "tasks-stream";

    // The methods the API has; anything else (CONNECT, TRACE, WebDAV, made-up verbs) is refused here,
    // as the service would, instead of failing in the outgoing client as a 502.
    private static readonly HashSet<string> ForwardedMethods = new(StringComparer.Ordinal)
    {
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Options,
    };

    private static readonly string AllowedMethods = string.Join(", ", ForwardedMethods);

    // CTLs other than HTAB may not appear in a field value (RFC 9110 §5.5); Kestrel lets them through.
    private static readonly SearchValues<char> ControlCharacters =
        SearchValues.Create([.. Enumerable.Range(0, 32).Where(c => c != '\t').Select(c => (char)c), '\u007f']);

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return builder;
        }

        builder.Services.AddRequestTimeouts();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [
                    Route("auth", "/api/auth/{**rest}", options.AuthTimeout),
                    // Ahead of the general tasks route; a stream lasts as long as the session, so no whole-request timeout.
                    Route(TasksStream, "/api/tasks/stream", timeout: null) with { Order = -1 },
                    Route("tasks", "/api/tasks/{**rest}", options.TasksTimeout),
                ],
                [
                    Cluster("auth", options.AuthUrl, options.AuthTimeout),
                    Cluster(TasksStream, options.TasksUrl, options.StreamActivityTimeout),
                    Cluster("tasks", options.TasksUrl, options.TasksTimeout),
                ])
            .AddTransforms(context =>
                // Keep the chain a trusted proxy sent (ForwardedHeaders already took the client from it) and add this hop.
                context.AddXForwardedFor(action: ForwardedTransformActions.Append));
        builder.Services.AddSingleton<IForwarderHttpClientFactory, RetryingForwarderHttpClientFactory>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<GatewayOptions>().Enabled)
        {
            return app;
        }

        app.UseRequestTimeouts();
        app.MapReverseProxy(proxy => proxy.Use(async (context, next) =>
        {
            // No status code pages for proxied responses: a service's own empty 404 or 204 passes through untouched.
            context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            if (ClientError(context) is { } rejection)
            {
                await WriteProblemAsync(context, rejection.Status, rejection.Message);
                return;
            }

            await next(context);
            if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
            {
                await WriteGatewayErrorAsync(context, error);
            }
        }));
        return app;
    }

    /// <summary>
    /// What the gateway can tell is the client's fault before it forwards anything: an unknown method,
    /// a declared body over the limit, a header value no HTTP field may carry (control characters; RFC 9110 §5.5).
    /// </summary>
    private static (int Status, string Message)? ClientError(HttpContext context)
    {
        var request = context.Request;
        if (!ForwardedMethods.Contains(request.Method))
        {
            context.Response.Headers.Allow = AllowedMethods;
            return (StatusCodes.Status405MethodNotAllowed, $"The method {request.Method} is not allowed.");
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength > limit)
        {
            return (StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        }

        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null && value.AsSpan().ContainsAny(ControlCharacters))
                {
                    return (StatusCodes.Status400BadRequest, $"The header '{name}' has a value with control characters.");
                }
            }
        }

        return null;
    }

    private static RouteConfig Route(string id, string path, TimeSpan? timeout) => new()
    {
        RouteId = id,
        ClusterId = id,
        Match = new RouteMatch { Path = path },
        Timeout = timeout,
    };

    // The activity timeout ends a request when no byte moves for that long (the stream's heartbeat keeps it alive).
    private static ClusterConfig Cluster(string id, Uri address, TimeSpan activityTimeout) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address.ToString() } },
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = activityTimeout },
        // Kestrel reads header values as UTF-8; sending them on as UTF-8 forwards the client's bytes
        // unchanged (a cookie with 'é'), where the default ASCII-only client would fail with a 502.
        HttpClient = new HttpClientConfig { RequestHeaderEncoding = "utf-8" },
    };

    private static ValueTask WriteGatewayErrorAsync(HttpContext context, IForwarderErrorFeature error)
    {
        // The route timeout (request-timeouts middleware) cancels the request, which YARP reports as canceled.
        var timedOut = error.Error == ForwarderError.RequestTimedOut
            || context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        // Reading the client's body failed: Kestrel says why (413 over the limit, 400 cut short or malformed).
        var bodyStatus = BadRequestStatus(error.Exception);
        var (status, message) = error.Error switch
        {
            _ when timedOut => (StatusCodes.Status504GatewayTimeout, "The service did not answer in time."),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => (499, "The request was canceled."),
            _ when bodyStatus == StatusCodes.Status413PayloadTooLarge => (StatusCodes.Status413PayloadTooLarge, "The request body is too large."),
            ForwarderError.RequestBodyClient => (bodyStatus ?? StatusCodes.Status400BadRequest, "The request body could not be read."),
            _ => (StatusCodes.Status502BadGateway, "The service is unavailable. Please try again shortly."),
        };
        if (status == 499)
        {
            context.Response.StatusCode = status;
            return ValueTask.CompletedTask;
        }

        context.Response.Clear();
        return WriteProblemAsync(context, status, message);
    }

    private static int? BadRequestStatus(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException bad)
            {
                return bad.StatusCode;
            }
        }

        return null;
    }

    // Web's security headers are added when the response starts (ServiceDefaults), after this clears them.
    private static ValueTask WriteProblemAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = message },
        });
    }
}
