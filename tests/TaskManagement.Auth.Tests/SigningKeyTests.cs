using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.Auth.Tests;

/// <summary>Where the signing key comes from: configuration first; a generated key only in Development.</summary>
public sealed class SigningKeyTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    [Fact]
    public async Task A_pem_value_from_configuration_is_used_and_no_development_key_is_generated()
    {
        using var rsa = RSA.Create(2048);
        var devPath = AuthService.NewKeyPath();
        await using var service = new AuthService(auth.Database.ConnectionString(), devPath, new Dictionary<string, string?>
        {
            ["Jwt:SigningKeyPem"] = rsa.ExportPkcs8PrivateKeyPem(),
        }).Start();
        using var client = service.CreateHttpClient();

        var jwks = JsonDocument.Parse(await client.GetStringAsync("/api/auth/.well-known/jwks.json")).RootElement;
        var kid = Assert.Single(jwks.GetProperty("keys").EnumerateArray()).GetProperty("kid").GetString();
        var expected = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
        Assert.Equal(expected, kid);
        Assert.False(File.Exists(devPath));
    }

    [Fact]
    public void Outside_development_a_missing_key_stops_start_up_instead_of_inventing_one()
    {
        var devPath = AuthService.NewKeyPath();
        using var service = new AuthService(auth.Database.ConnectionString(), devPath, new Dictionary<string, string?>
        {
            [ServiceHostExtensions.EnvironmentSetting] = "Production",
        });

        var error = Assert.ThrowsAny<Exception>(() => service.Start());
        Assert.Contains("No JWT signing key", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(devPath));
    }
}
