using Microsoft.AspNetCore.StaticFiles;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Web.Hosting;

/// <summary>
/// Serves the Vite build from wwwroot: hashed files under <c>/assets/</c> are cached for a year,
/// everything else (index.html above all) is revalidated on every load. Client-side routes such as
/// <c>/dashboard</c> get index.html; unknown <c>/api/...</c> paths get a 404 ProblemDetails.
/// </summary>
public static class SpaHosting
{
    private const string ImmutableAssets = "/assets";

    private static readonly StaticFileOptions Files = new()
    {
        ContentTypeProvider = new FileExtensionContentTypeProvider(),
        OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
            ctx.Context.Request.Path.StartsWithSegments(ImmutableAssets, StringComparison.Ordinal)
                ? "public, max-age=31536000, immutable"
                : "no-cache",
    };

    public static WebApplication UseSpaFiles(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(Files);
        return app;
    }

    public static WebApplication MapSpa(this WebApplication app)
    {
        // Lower priority than the gateway's /api/auth and /api/tasks routes (more literal segments win).
        app.Map("/api/{**rest}", (HttpContext context) =>
                ErrorHandling.Problem(StatusCodes.Status404NotFound, $"No API resource matches '{context.Request.Path}'."))
            .DisableRateLimiting()
            .ExcludeFromDescription();

        // {*path:nonfile}: a missing /assets/x.js stays a 404 instead of turning into HTML.
        app.MapFallbackToFile("index.html", Files);
        return app;
    }
}
