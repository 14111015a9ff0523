using Microsoft.AspNetCore.Authentication.JwtBearer;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Auth.Identity;

public static class AuthenticationSetup
{
    /// <summary>
    /// Loads the signing keys once at start (a bad key fails start-up, not the first login) and
    /// validates this service's own tokens with them directly; other services use discovery.
    /// </summary>
    public static WebApplicationBuilder AddSigningKeysAndJwtBearer(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();
        var keys = SigningKeys.Load(builder.Configuration, builder.Environment);
        settings.Validate(builder.Environment);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(keys);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = JwtBearerSetup.ValidationParameters(settings);
                o.TokenValidationParameters.IssuerSigningKeys = keys.Verification;
                o.UseCallerValidation();
            });
        // A deleted account or a changed password revokes earlier tokens at once (Auth's own database).
        builder.Services.AddScoped<ITokenRevocation, CredentialsRevocation>();
        builder.Services.AddAuthorization();
        return builder;
    }
}
