using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TaskManagement.ServiceDefaults;

public static class Telemetry
{
    /// <summary>Every product meter and activity source is named under this prefix.</summary>
    public const string Prefix = "TaskManagement";

    /// <summary>Label combinations kept per metric stream (see <see cref="AddDefaultTelemetry"/>).</summary>
    public const int MetricCardinalityLimit = 256;

    internal static void AddJsonConsoleLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
    }

    internal static void AddDefaultTelemetry(this WebApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var otlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Names only: the driver and broker packages live in the services that use them; an absent one costs nothing.
                .AddMeter(Prefix + ".*", "MySqlConnector", "Microsoft.EntityFrameworkCore")
                // Every metric stream preallocates its cardinality limit of points (2,000 by default, ~100 B each): over
                // the ~60 streams here that was ~12 MB of large-object heap. No metric of ours has more than a few dozen
                // label combinations; a stream that ever exceeds the limit reports the excess as otel.metric.overflow.
                .AddView("*", new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit })
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(Prefix + ".*", "MassTransit")
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                        !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation();
                // Traces leave the process only when a collector is configured.
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                {
                    tracing.AddOtlpExporter();
                }
            });
    }

    /// <summary>The Prometheus scrape path; the edge and the mesh policies deny it to everyone but Prometheus.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// <c>GET</c>/<c>HEAD /metrics</c> only: another method is 405, another spelling (<c>/METRICS</c>,
    /// <c>/metrics/</c>) 404, so the one path the mesh rules allow is the one path that answers.
    /// </summary>
    internal static void MapMetricsEndpoint(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            // Routing ignores case and a trailing slash; the policies that guard this path do not.
            if (!path.TrimEnd('/').Equals(MetricsPath, StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            if (!string.Equals(path, MetricsPath, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting();
    }
}
