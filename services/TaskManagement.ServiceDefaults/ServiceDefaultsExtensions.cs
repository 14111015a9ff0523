using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.ServiceDefaults.OpenApi;

namespace TaskManagement.ServiceDefaults;

/// <summary>The wiring every service shares: one call on the builder, one on the app.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Telemetry, health, ProblemDetails, JSON rules, security headers, limits, forwarded headers, logs, rate limits.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddJsonConsoleLogging();
        builder.AddDefaultTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddErrorHandling();
        builder.AddForwardedHeadersFromTrustedProxies();
        builder.AddDefaultRateLimiting();
        builder.AddDocumentedOpenApi();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Http:MaxRequestBodyBytes", 64 * 1024);
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 64 * 1024);
        return builder;
    }

    /// <summary>The shared middleware, in the order it must run. Call before mapping endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseLoadShedding();
        // A service that validates no tokens (Web) registers no authentication at all.
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.UseRateLimiter();
        app.UseUtf8RequestBodies();
        app.UseWholeRequestBodies();
        return app;
    }

    /// <summary>/health, /health/live, /health/ready, /metrics and (in Development) the OpenAPI document and its reference at /scalar.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:Enabled"))
        {
            app.MapOpenApi().DisableRateLimiting();
            app.MapApiReference();
        }

        return app;
    }
}
