namespace TaskManagement.Auth.Identity;

/// <summary>
/// At least 12 characters with an upper-case letter, a lower-case letter, a digit and a symbol.
/// At most 72 UTF-8 bytes: bcrypt ignores everything after byte 72, so longer passwords are
/// rejected rather than silently truncated (they are not pre-hashed). The rules are declared on
/// <see cref="Features.RegisterRequest.Password"/>.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxUtf8Bytes = 72;
}
