using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// The key Auth signs tokens with, plus an optional verification-only key during rotation.
/// Keys are PEM, from a file path or an inline value (so a Kubernetes/Dapr secret can supply them).
/// Only in Development, and only when none is configured, a key is generated on first start into
/// the git-ignored .data folder.
/// </summary>
public sealed class SigningKeys
{
    private SigningKeys(SigningCredentials signing, IReadOnlyList<AsymmetricSecurityKey> verification)
    {
        Signing = signing;
        Verification = verification;
    }

    public SigningCredentials Signing { get; }

    /// <summary>Every key a valid token may be signed with: the current one first, then the previous one.</summary>
    public IReadOnlyList<AsymmetricSecurityKey> Verification { get; }

    public static SigningKeys Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var current = ReadPem(configuration, "SigningKey", environment.ContentRootPath)
            ?? DevelopmentKey(configuration, environment)
            ?? throw new InvalidOperationException("No JWT signing key: set Jwt:SigningKeyPath or Jwt:SigningKeyPem (PEM private key).");
        var signingKey = ToSecurityKey(current, requirePrivate: true);
        var keys = new List<AsymmetricSecurityKey> { signingKey };
        if (ReadPem(configuration, "PreviousKey", environment.ContentRootPath) is { } previous)
        {
            keys.Add(ToSecurityKey(previous, requirePrivate: false));
        }

        var algorithm = signingKey is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256;
        return new SigningKeys(new SigningCredentials(signingKey, algorithm), keys);
    }

    /// <summary>The public halves as a JWKS document (RFC 7517); never a private parameter.</summary>
    public object ToJwks() => new
    {
        keys = Verification.Select(key =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
            var isEc = key is ECDsaSecurityKey;
            return new Dictionary<string, string?>
            {
                ["kty"] = jwk.Kty,
                ["use"] = "sig",
                ["kid"] = key.KeyId,
                ["alg"] = isEc ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256,
                ["n"] = jwk.N,
                ["e"] = jwk.E,
                ["crv"] = jwk.Crv,
                ["x"] = jwk.X,
                ["y"] = jwk.Y,
            }.Where(p => p.Value is not null).ToDictionary();
        }).ToArray(),
    };

    private static string? ReadPem(IConfiguration configuration, string name, string contentRoot)
    {
        if (configuration[$"Jwt:{name}Pem"] is { Length: > 0 } pem)
        {
            return pem;
        }

        return configuration[$"Jwt:{name}Path"] is { Length: > 0 } path ? File.ReadAllText(Path.GetFullPath(path, contentRoot)) : null;
    }

    private static string? DevelopmentKey(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return null;
        }

        var path = Path.GetFullPath(configuration["Jwt:DevelopmentKeyPath"] ?? "../../.data/keys/jwt-signing-key.pem", environment.ContentRootPath);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var rsa = RSA.Create(3072);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path);
    }

    private static AsymmetricSecurityKey ToSecurityKey(string pem, bool requirePrivate)
    {
        AsymmetricSecurityKey key = IsEc(pem)
            ? new ECDsaSecurityKey(ImportEc(pem))
            : new RsaSecurityKey(ImportRsa(pem));
        if (requirePrivate && key.PrivateKeyStatus == PrivateKeyStatus.DoesNotExist)
        {
            throw new InvalidOperationException("The JWT signing key must be a private key.");
        }

        // RFC 7638 thumbprint: stable for the same key, different for every other key.
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    private static bool IsEc(string pem)
    {
        using var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static RSA ImportRsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private static ECDsa ImportEc(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return ec;
    }
}
