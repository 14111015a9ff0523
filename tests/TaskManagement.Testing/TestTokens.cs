using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Testing;

/// <summary>Real RS256 tokens signed with a test Auth's own key, with any claims a test wants (or lacks).</summary>
public static class TestTokens
{
    /// <summary>The issuer every test service uses: the configured default.</summary>
    public static string Issuer { get; } = new JwtSettings().Issuer;

    public static string Audience { get; } = new JwtSettings().Audience;

    /// <summary>The private key of an Auth instance, with the kid Auth itself derives (RFC 7638 thumbprint).</summary>
    public static RsaSecurityKey ServiceKey(string signingKeyPath)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(signingKeyPath));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    /// <summary>Signs exactly <paramref name="claims"/> plus iss/aud/nbf/exp (and iat unless <paramref name="withIssuedAt"/> is false).</summary>
    public static string Sign(SecurityKey key, IDictionary<string, object> claims, DateTime? issuedAt = null, bool withIssuedAt = true)
    {
        var iat = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = withIssuedAt ? iat : null,
            NotBefore = iat.AddSeconds(-1),
            Expires = iat.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
