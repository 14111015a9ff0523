using System.Text;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// At least 12 characters with an upper-case letter, a lower-case letter, a digit and a symbol.
/// At most 72 UTF-8 bytes: bcrypt ignores everything after byte 72, so longer passwords are
/// rejected rather than silently truncated (they are not pre-hashed).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxUtf8Bytes = 72;

    public static void Validate(string? password, ValidationErrors errors, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, "Password is required.");
            return;
        }

        errors.AddIf(password.Length < MinLength, field, $"Password must be at least {MinLength} characters long.");
        errors.AddIf(Encoding.UTF8.GetByteCount(password) > MaxUtf8Bytes, field, $"Password must be at most {MaxUtf8Bytes} bytes (UTF-8).");
        errors.AddIf(!password.Any(char.IsUpper), field, "Password must contain an upper-case letter.");
        errors.AddIf(!password.Any(char.IsLower), field, "Password must contain a lower-case letter.");
        errors.AddIf(!password.Any(char.IsDigit), field, "Password must contain a digit.");
        errors.AddIf(password.All(char.IsLetterOrDigit), field, "Password must contain a symbol.");
    }
}
