using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace TaskManagement.ServiceDefaults.Http;

public static class SecurityHeaders
{
    // APIs return JSON only: nothing may be loaded, framed or executed from their responses.
    private const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    internal static void UseSecurityHeaders(this WebApplication app)
    {
        var csp = app.Configuration["SecurityHeaders:ContentSecurityPolicy"] ?? ApiContentSecurityPolicy;
        var hsts = $"max-age={app.Configuration.GetValue("SecurityHeaders:HstsMaxAgeSeconds", 31536000)}; includeSubDomains";
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.StrictTransportSecurity = hsts;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
    }
}
