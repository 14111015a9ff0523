namespace TaskManagement.Tasks.Revocation;

/// <summary>
/// One row per user whose earlier tokens are revoked: written by the users-topic consumer (inbox
/// transaction), read by every replica into its <see cref="RevocationSnapshot"/>.
/// </summary>
public sealed class RevokedCredential
{
    public Guid UserId { get; set; }

    /// <summary>Tokens with an <c>iat</c> before this (whole seconds) are refused.</summary>
    public DateTimeOffset NotBefore { get; set; }

    /// <summary>The account is gone: every token of the user is refused, whatever its <c>iat</c>.</summary>
    public bool Deleted { get; set; }

    /// <summary>Database time of the last write (UTC_TIMESTAMP(6)): what replicas refresh incrementally by.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
