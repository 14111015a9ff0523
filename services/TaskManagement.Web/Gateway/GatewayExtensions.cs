using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace TaskManagement.Web.Gateway;

/// <summary>
/// Local-mode gateway on YARP: <c>/api/auth/{**rest}</c> → Auth and <c>/api/tasks/{**rest}</c> → Tasks,
/// paths unchanged, as the Istio VirtualService routes them. Off when <c>Gateway:Enabled</c> is false.
/// </summary>
public static class GatewayExtensions
{
    // Headers Web's own security middleware sets on every response; a proxied response keeps the service's.
    private static readonly string[] ServiceOwnedHeaders =
    [
        "Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
        "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
    ];

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
                [Route("auth", "/api/auth/{**rest}", options.AuthTimeout), Route("tasks", "/api/tasks/{**rest}", options.TasksTimeout)],
                [Cluster("auth", options.AuthUrl, options.AuthTimeout), Cluster("tasks", options.TasksUrl, options.TasksTimeout)])
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
            var own = ServiceOwnedHeaders.Select(h => (h, context.Response.Headers[h])).ToArray();
            foreach (var (header, _) in own)
            {
                context.Response.Headers.Remove(header);
            }

            // No status code pages for proxied responses: a service's own empty 404 or 204 passes through untouched.
            context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            await next(context);
            if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
            {
                await WriteGatewayErrorAsync(context, error.Error, own);
            }
        }));
        return app;
    }

    private static RouteConfig Route(string id, string path, TimeSpan timeout) => new()
    {
        RouteId = id,
        ClusterId = id,
        Match = new RouteMatch { Path = path },
        Timeout = timeout,
    };

    private static ClusterConfig Cluster(string id, Uri address, TimeSpan timeout) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address.ToString() } },
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = timeout },
    };

    private static ValueTask WriteGatewayErrorAsync(HttpContext context, ForwarderError error, (string Name, StringValues Value)[] securityHeaders)
    {
        // The route timeout (request-timeouts middleware) cancels the request, which YARP reports as canceled.
        var timedOut = error == ForwarderError.RequestTimedOut
            || context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        var (status, message) = error switch
        {
            _ when timedOut => (StatusCodes.Status504GatewayTimeout, "The service did not answer in time."),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => (499, "The request was canceled."),
            ForwarderError.RequestBodyClient => (StatusCodes.Status400BadRequest, "The request body could not be read."),
            _ => (StatusCodes.Status502BadGateway, "The service is unavailable. Please try again shortly."),
        };
        if (status == 499)
        {
            context.Response.StatusCode = status;
            return ValueTask.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        foreach (var (name, value) in securityHeaders)
        {
            context.Response.Headers[name] = value;
        }

        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = message },
        });
    }
}
