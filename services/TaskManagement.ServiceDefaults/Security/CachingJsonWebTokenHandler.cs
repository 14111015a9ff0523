using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.ServiceDefaults.Security;

/// <summary>
/// A <see cref="JsonWebTokenHandler"/> that remembers the tokens it has fully validated, until they expire: a client
/// sends the same token with every request, and verifying its RS256 signature again each time was the largest cost
/// of authentication (docs/benchmarks.md). A remembered token is accepted only while it is unexpired and the key
/// that signed it is still published; revocation (<see cref="CallerValidation"/>) is checked on every request as
/// before. Any other string — one changed byte — is validated in full.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider clock) : JsonWebTokenHandler, IDisposable
{
    /// <summary>Bounds memory: about 2 KB per token, so a few MB at most.</summary>
    public const int Capacity = 4096;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out Validated? known)
            && clock.GetUtcNow() < known!.ExpiresAt
            && await IsStillPublishedAsync(known.Token.Kid, validationParameters))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = known.Token,
                ClaimsIdentity = known.Identity.Clone(),
                Issuer = known.Token.Issuer,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity)
        {
            var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + validationParameters.ClockSkew;
            _validated.Set(token, new Validated(jwt, identity.Clone(), expiresAt), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = expiresAt,
            });
        }

        return result;
    }

    public void Dispose() => _validated.Dispose();

    /// <summary>A rotated-out (withdrawn) key stops its tokens at once, cached or not.</summary>
    private static async Task<bool> IsStillPublishedAsync(string kid, TokenValidationParameters parameters)
    {
        if (string.IsNullOrEmpty(kid))
        {
            return false;
        }

        if (parameters.IssuerSigningKey?.KeyId == kid || parameters.IssuerSigningKeys?.Any(k => k.KeyId == kid) == true)
        {
            return true;
        }

        if (parameters.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
            return configuration.SigningKeys.Any(k => k.KeyId == kid);
        }

        return false;
    }

    private sealed record Validated(JsonWebToken Token, System.Security.Claims.ClaimsIdentity Identity, DateTimeOffset ExpiresAt);
}
