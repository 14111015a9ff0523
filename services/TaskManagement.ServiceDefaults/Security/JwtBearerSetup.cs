using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.ServiceDefaults.Security;

public static class JwtBearerSetup
{
    /// <summary>Only the asymmetric algorithms Auth signs with; <c>none</c> and HMAC are refused.</summary>
    public static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>
    /// Bearer validation through the Auth service's OIDC discovery document and JWKS: keys are cached
    /// and fetched again when a token names an unknown <c>kid</c> (key rotation without restart). A token already
    /// validated is remembered until it expires (<see cref="CachingJsonWebTokenHandler"/>).
    /// Discovery is read from <c>Jwt:Authority</c> (the in-cluster address); the document names the public
    /// <c>jwks_uri</c>, which is fetched through the same in-cluster address (see <see cref="AuthorityDocumentRetriever"/>).
    /// </summary>
    public static WebApplicationBuilder AddJwtBearerFromDiscovery(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();
        settings.Validate(builder.Environment);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.Authority = settings.Authority;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.RefreshInterval = settings.MetadataRefreshInterval;
                o.AutomaticRefreshInterval = settings.MetadataAutomaticRefreshInterval;
                var http = new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromMinutes(1), MaxResponseContentBufferSize = 10 * 1024 * 1024 })
                {
                    RequireHttps = settings.RequireHttpsMetadata,
                };
                o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    $"{settings.Authority.TrimEnd('/')}/.well-known/openid-configuration",
                    new OpenIdConnectConfigurationRetriever(),
                    new AuthorityDocumentRetriever(http, settings.Issuer, settings.Authority))
                {
                    RefreshInterval = settings.MetadataRefreshInterval,
                    AutomaticRefreshInterval = settings.MetadataAutomaticRefreshInterval,
                };
                o.TokenValidationParameters = ValidationParameters(settings);
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingJsonWebTokenHandler(TimeProvider.System) { MapInboundClaims = false });
                o.UseCallerValidation();
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

/// <summary>
/// Discovery publishes public URLs (<c>{Issuer}/.well-known/jwks.json</c>); a validator inside the cluster
/// fetches them through <c>Jwt:Authority</c> instead, so it never depends on the public ingress or DNS.
/// </summary>
internal sealed class AuthorityDocumentRetriever(IDocumentRetriever inner, string issuer, string authority) : IDocumentRetriever
{
    private readonly string _issuer = issuer.TrimEnd('/');
    private readonly string _authority = authority.TrimEnd('/');

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
        inner.GetDocumentAsync(Rebase(address), cancel);

    internal string Rebase(string address) =>
        address.StartsWith(_issuer + "/", StringComparison.OrdinalIgnoreCase) ? _authority + address[_issuer.Length..] : address;
}
