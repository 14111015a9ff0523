using Microsoft.Extensions.Hosting;

namespace TaskManagement.ServiceDefaults.Security;

/// <summary>Configuration section <c>Jwt</c>, shared by the issuer (Auth) and every validator.</summary>
public sealed class JwtSettings
{
    public const string Section = "Jwt";

    /// <summary>
    /// The public URL of the Auth API as clients reach it (OIDC: <c>iss</c> = the discovery document's issuer).
    /// Written into every token, published in discovery with <c>{Issuer}/.well-known/jwks.json</c>, required by
    /// validators. Configured, never derived from a request's Host. The default is the local gateway.
    /// </summary>
    public string Issuer { get; set; } = "http://localhost:8080/api/auth";

    /// <summary><c>aud</c> written by Auth and required by validators.</summary>
    public string Audience { get; set; } = "taskmanagement-api";

    /// <summary>Base URL of the Auth service's key discovery (<c>{Authority}/.well-known/openid-configuration</c>).</summary>
    public string Authority { get; set; } = "http://localhost:5101/api/auth";

    /// <summary>In the mesh the hop to Auth is plain HTTP inside Istio mTLS, so HTTPS is not required by default.</summary>
    public bool RequireHttpsMetadata { get; set; }

    /// <summary>Shortest time between two forced key refreshes when a token names an unknown <c>kid</c>.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Access token lifetime written by Auth (default 1 hour, at most 24 hours).</summary>
    public TimeSpan? TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often validators re-read the JWKS even when every kid is known.</summary>
    public TimeSpan MetadataAutomaticRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Allowed clock difference between issuer and validator.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Fails start-up on an issuer that could not be a discovery URL: it must be absolute, without query or
    /// fragment, end in <c>/api/auth</c> (where discovery and the JWKS are served), and outside Development use https.
    /// </summary>
    public void Validate(IHostEnvironment environment)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || Issuer.EndsWith('/')
            || !uri.AbsolutePath.EndsWith("/api/auth", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Jwt:Issuer must be the absolute public URL of the Auth API ending in /api/auth, e.g. https://tasks.example.com/api/auth (got '{Issuer}').");
        }

        if (!environment.IsDevelopment() && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"Jwt:Issuer must be an https URL outside Development (got '{Issuer}').");
        }
    }
}
