using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Tasks.Tests;

/// <summary>
/// Tasks remembers validated tokens until they expire (issue 12: the RS256 verify per request was the largest cost of
/// authentication). What it remembers must never accept more than a full validation would.
/// </summary>
public sealed class TokenCacheTests
{
    private static readonly RsaSecurityKey Key = NewKey();

    [Fact]
    public async Task A_validated_token_is_remembered_and_not_verified_again()
    {
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var token = Sign(Key, TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        // Same kid, different public key: a fresh verification would fail, so success proves the cache answered.
        var impostor = NewKey();
        impostor.KeyId = Key.KeyId;
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(impostor))).IsValid);
        var again = await handler.ValidateTokenAsync(token, Parameters(impostor));

        Assert.True(again.IsValid);
        Assert.Equal("0190b2a4-6a3c-7000-8000-000000000001", Assert.IsType<JsonWebToken>(again.SecurityToken).Subject);
        Assert.Contains(again.ClaimsIdentity.Claims, c => c.Type == "sub");
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        // A lifetime the first validation surely fits in, also on a loaded CI machine (2 s was missed once there).
        var token = Sign(Key, TimeSpan.FromSeconds(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(5.5));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_key_is_withdrawn()
    {
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var token = Sign(Key, TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        Assert.False((await handler.ValidateTokenAsync(token, Parameters(NewKey()))).IsValid);
    }

    [Fact]
    public async Task A_changed_token_is_validated_in_full_even_after_the_original_was_remembered()
    {
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var token = Sign(Key, TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        var signature = token[(token.LastIndexOf('.') + 1)..];
        var flipped = token[..(token.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var otherSubject = Sign(Key, TimeSpan.FromMinutes(5), sub: "0190b2a4-6a3c-7000-8000-000000000002");
        var forged = otherSubject[..otherSubject.LastIndexOf('.')] + "." + signature; // a new payload with the remembered signature

        Assert.False((await handler.ValidateTokenAsync(flipped, Parameters(Key))).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);
    }

    private static TokenValidationParameters Parameters(SecurityKey key)
    {
        var parameters = JwtBearerSetup.ValidationParameters(new JwtSettings { ClockSkew = TimeSpan.Zero });
        parameters.IssuerSigningKeys = [key];
        return parameters;
    }

    private static string Sign(SecurityKey key, TimeSpan lifetime, string sub = "0190b2a4-6a3c-7000-8000-000000000001")
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = TestTokens.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["sub"] = sub },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
}
