namespace TaskManagement.Auth.Data;

public sealed class User
{
    /// <summary>The column's size; the registration rule (<c>UsernamePolicy</c>) allows no longer name.</summary>
    public const int UsernameMaxLength = 50;

    public Guid Id { get; set; }

    /// <summary>As the user typed it at registration.</summary>
    public required string Username { get; set; }

    /// <summary>Upper-case invariant form; the unique index makes usernames case-insensitively unique on any collation.</summary>
    public required string NormalizedUsername { get; set; }

    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Tokens with an earlier <c>iat</c> are revoked (set by a password change; whole seconds). Null: never changed.
    /// </summary>
    public DateTimeOffset? CredentialsValidFrom { get; set; }

    public static string Normalize(string username) => username.ToUpperInvariant();
}
