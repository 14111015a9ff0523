namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// One generated request. Placeholders resolved when sent: <c>{task}</c> (a task of the main user),
/// <c>{other}</c> (another user's task), <c>{user}</c>/<c>{longuser}</c> (usernames), <c>{token}</c>.
/// </summary>
public sealed record FuzzCase
{
    public required Route Route { get; init; }

    public required string Method { get; init; }

    public required string Target { get; init; }

    public string Version { get; init; } = "HTTP/1.1";

    public Credential Credential { get; init; }

    public string? RawAuthorization { get; init; }

    public IReadOnlyList<(string Name, byte[] Value)> Headers { get; init; } = [];

    /// <summary>null: no Host header at all; otherwise the exact value ("{host}" is the server's authority).</summary>
    public byte[]? Host { get; init; } = "{host}"u8.ToArray();

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public Framing Framing { get; init; }

    /// <summary>What was broken, for the report.</summary>
    public required string Mutation { get; init; }

    /// <summary>Method, path, headers and framing are as the route expects: only the credential, body or query differ.</summary>
    public bool Canonical { get; init; } = true;

    /// <summary>The body exceeds the 64 KiB limit (413 is then an acceptable answer even to a bad token).</summary>
    public bool Oversized { get; init; }

    /// <summary>Set when any 2xx would be wrong, with the reason.</summary>
    public string? MustNotSucceed { get; init; }

    public bool IsHead => string.Equals(Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    public bool CredentialInvalid => Credential is not (Credential.None or Credential.Valid or Credential.Victim or Credential.Raw)
        || (Credential == Credential.Raw && RawAuthorizationInvalid);

    /// <summary>A raw Authorization value that no server may accept (set by the generator).</summary>
    public bool RawAuthorizationInvalid { get; init; }
}
