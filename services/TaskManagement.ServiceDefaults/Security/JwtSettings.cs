namespace TaskManagement.ServiceDefaults.Security;

/// <summary>Configuration section <c>Jwt</c>, shared by the issuer (Auth) and every validator.</summary>
public sealed class JwtSettings
{
    public const string Section = "Jwt";

    /// <summary><c>iss</c> written by Auth and required by validators.</summary>
    public string Issuer { get; set; } = "taskmanagement-auth";

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
}
