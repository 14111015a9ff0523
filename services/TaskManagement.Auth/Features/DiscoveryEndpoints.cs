using TaskManagement.Auth.Identity;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Auth.Features;

/// <summary>
/// OIDC discovery and JWKS, so the Task service's JwtBearer and Istio's RequestAuthentication find
/// the public keys the standard way. Never rate limited: every validator depends on them.
/// </summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder routes)
    {
        var wellKnown = routes.MapGroup("/api/auth/.well-known").WithTags("Discovery").AllowAnonymous().DisableRateLimiting();
        // The configured public issuer, never the request's Host: a forged Host must not move jwks_uri.
        wellKnown.MapGet("/openid-configuration", (JwtSettings settings, SigningKeys keys) =>
            TypedResults.Ok(new OpenIdConfiguration(settings.Issuer, $"{settings.Issuer}/.well-known/jwks.json", [keys.Signing.Algorithm])));
        wellKnown.MapGet("/jwks.json", (HttpResponse response, SigningKeys keys) =>
        {
            // Short cache: validators refresh on an unknown kid anyway, and rotation should spread quickly.
            response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Ok(keys.ToJwks());
        });
        return routes;
    }
}
