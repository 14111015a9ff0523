using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        (string Name, string Value)[] headers =
        [
            ("Content-Security-Policy", csp),
            ("Strict-Transport-Security", hsts),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ];
        app.Use((context, next) =>
        {
            // Set when the response starts, not now: the exception handler and the status code pages clear
            // the headers before they write, and a 500 must carry them like every other answer. A header
            // already present (a proxied service's own) is kept.
            context.Response.OnStarting(static state =>
            {
                var (response, values) = ((HttpResponse, (string Name, string Value)[]))state;
                foreach (var (name, value) in values)
                {
                    response.Headers.TryAdd(name, value);
                }

                return Task.CompletedTask;
            }, (context.Response, headers));
            return next(context);
        });
    }
}
