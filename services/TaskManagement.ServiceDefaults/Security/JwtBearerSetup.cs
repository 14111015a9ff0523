using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.ServiceDefaults.Security;

public static class JwtBearerSetup
{
    /// <summary>Only the asymmetric algorithms Auth signs with; <c>none</c> and HMAC are refused.</summary>
    public static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>
    /// Bearer validation through the Auth service's OIDC discovery document and JWKS: keys are cached
    /// and fetched again when a token names an unknown <c>kid</c> (key rotation without restart).
    /// </summary>
    public static WebApplicationBuilder AddJwtBearerFromDiscovery(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.Authority = settings.Authority;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.RefreshInterval = settings.MetadataRefreshInterval;
                o.AutomaticRefreshInterval = settings.MetadataAutomaticRefreshInterval;
                o.TokenValidationParameters = ValidationParameters(settings);
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>The rules every validator applies; signing keys come from the caller (JWKS or local keys).</summary>
    public static TokenValidationParameters ValidationParameters(JwtSettings settings) => new()
    {
        ValidIssuer = settings.Issuer,
        ValidAudience = settings.Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidAlgorithms = AllowedAlgorithms,
        ClockSkew = settings.ClockSkew,
        NameClaimType = "name",
    };
}
