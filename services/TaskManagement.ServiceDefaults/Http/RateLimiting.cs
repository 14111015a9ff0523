using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>Registers the rate-limit policies (per client address or per user) and the 429 answer.</summary>
public static class RateLimiting
{
    internal static void AddDefaultRateLimiting(this WebApplicationBuilder builder)
    {
        var options = new RateLimitingOptions();
        foreach (var section in builder.Configuration.GetSection("RateLimiting").GetChildren())
        {
            var limit = options.Policies.TryGetValue(section.Key, out var existing) ? existing : options.Policies[section.Key] = new();
            section.Bind(limit);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                return WriteRejectionAsync(ctx.HttpContext, retryAfter);
            };
            AddPolicy(limiter, options, RateLimitPolicies.General, ClientAddress);
            AddPolicy(limiter, options, RateLimitPolicies.Register, ClientAddress);
            AddPolicy(limiter, options, RateLimitPolicies.TaskCreate, ctx => ctx.User.FindFirstValue(ClaimsPrincipalExtensions.UserIdClaim) ?? ClientAddress(ctx));
        });
    }

    private static void AddPolicy(RateLimiterOptions limiter, RateLimitingOptions options, string name, Func<HttpContext, string> key)
    {
        var limit = options[name];
        limiter.AddPolicy(name, ctx => RateLimitPartition.GetFixedWindowLimiter(
            $"{name}:{key(ctx)}",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 }));
    }

    /// <summary>The caller's address as seen through trusted proxies (see <see cref="ForwardedHeaders"/>).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 ProblemDetails with Retry-After in whole seconds.</summary>
    public static async ValueTask WriteRejectionAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"Too many requests. Try again in {seconds} seconds.",
            },
        });
    }
}
