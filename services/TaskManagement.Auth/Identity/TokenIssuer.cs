using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskManagement.Auth.Data;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Auth.Identity;

/// <summary>Issues access tokens: sub, name, iss, aud, iat, nbf, exp, jti, signed with the current key and its kid.</summary>
public sealed class TokenIssuer(SigningKeys keys, JwtSettings settings, TimeProvider clock)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public TimeSpan Lifetime { get; } = settings.TokenLifetime is { } lifetime && lifetime > TimeSpan.Zero && lifetime <= MaxLifetime
        ? lifetime
        : throw new InvalidOperationException($"Jwt:TokenLifetime must be between 0 and {MaxLifetime}.");

    public string Issue(User user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            // Up to a second ahead right after a password change, so the new token is never mistaken for a revoked one.
            IssuedAt = TokenTimes.IssuedAt(now, user.CredentialsValidFrom).UtcDateTime,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = keys.Signing,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Name, user.Username),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
