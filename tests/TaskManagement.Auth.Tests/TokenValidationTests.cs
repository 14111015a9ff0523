using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.Auth.Tests;

/// <summary>Every kind of bad token is 401 on a protected route; the control token proves the setup accepts good ones.</summary>
public sealed class TokenValidationTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    public static TheoryData<string> BadTokens => ["expired", "tampered", "alg-none", "hs256-with-public-key", "wrong-issuer", "wrong-audience", "other-key", "garbage"];

    [Fact]
    public async Task A_token_forged_correctly_with_the_real_key_is_accepted()
    {
        var (userId, username, _) = await auth.Client.RegisterAndLoginAsync();
        var token = Sign(ServiceKey(), userId, username);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(token));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_tokens_are_401(string kind)
    {
        var (userId, username, realToken) = await auth.Client.RegisterAndLoginAsync();
        var key = ServiceKey();
        var token = kind switch
        {
            "expired" => Sign(key, userId, username, expires: DateTime.UtcNow.AddMinutes(-5), issuedAt: DateTime.UtcNow.AddHours(-1)),
            "tampered" => Tamper(realToken),
            "alg-none" => Unsigned(userId, username),
            "hs256-with-public-key" => HmacWithPublicKey(key, userId, username),
            "wrong-issuer" => Sign(key, userId, username, issuer: "someone-else"),
            "wrong-audience" => Sign(key, userId, username, audience: "another-api"),
            "other-key" => Sign(NewRsaKey(), userId, username),
            "garbage" => "not-a-jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(token));
    }

    [Fact]
    public async Task No_token_is_a_401_problem()
    {
        using var response = await auth.Client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unauthorized", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    private async Task<HttpStatusCode> MeStatusAsync(string token)
    {
        using var response = await auth.Client.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        return response.StatusCode;
    }

    private RsaSecurityKey ServiceKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(auth.Service.SigningKeyPath));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    private static RsaSecurityKey NewRsaKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = "other-key";
        return key;
    }

    private static string Sign(SecurityKey key, Guid userId, string username, string? issuer = null, string audience = "taskmanagement-api", DateTime? expires = null, DateTime? issuedAt = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? TestTokens.Issuer,
            Audience = audience,
            IssuedAt = issuedAt ?? DateTime.UtcNow,
            NotBefore = issuedAt ?? DateTime.UtcNow,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("name", username), new Claim("jti", Guid.NewGuid().ToString())]),
            SigningCredentials = new SigningCredentials(key, key is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256),
        });

    private static string Payload(Guid userId, string username) =>
        Base64UrlEncoder.Encode($$"""{"sub":"{{userId}}","name":"{{username}}","iss":"{{TestTokens.Issuer}}","aud":"taskmanagement-api","iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");

    private static string Unsigned(Guid userId, string username) =>
        $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Payload(userId, username)}.";

    // The classic algorithm-confusion attack: HMAC keyed with the server's public key.
    private static string HmacWithPublicKey(RsaSecurityKey key, Guid userId, string username)
    {
        var publicPem = key.Rsa.ExportSubjectPublicKeyInfoPem();
        var header = Base64UrlEncoder.Encode($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{key.KeyId}\"}}");
        var signingInput = $"{header}.{Payload(userId, username)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicPem), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    // Change the payload's name claim without re-signing.
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"name\":\"", "\"name\":\"admin", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
