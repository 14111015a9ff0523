using System.Text.RegularExpressions;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Identity;

/// <summary>The original system's rule: 3–50 ASCII letters, digits, underscores or hyphens.</summary>
public static partial class UsernamePolicy
{
    public const int MinLength = 3;
    public const int MaxLength = 50;

    public static void Validate(string? username, ValidationErrors errors, string field = "username")
    {
        if (string.IsNullOrEmpty(username))
        {
            errors.Add(field, "Username is required.");
            return;
        }

        errors.AddIf(username.Length is < MinLength or > MaxLength, field, $"Username must be {MinLength}–{MaxLength} characters long.");
        errors.AddIf(!Allowed().IsMatch(username), field, "Username may contain only letters, digits, underscores and hyphens.");
    }

    /// <summary>True when <paramref name="username"/> could have been registered: only such names are looked up at login.</summary>
    public static bool IsValid(string username) => username.Length is >= MinLength and <= MaxLength && Allowed().IsMatch(username);

    // \A…\z: "$" would also match before a trailing newline ("victim\n").
    [GeneratedRegex(@"\A[A-Za-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
