using System.Text.RegularExpressions;
using TaskManagement.Auth.Data;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// The original system's rule: 3–50 ASCII letters, digits, underscores or hyphens. Declared on
/// <see cref="Features.RegisterRequest.Username"/>; login looks up only names that pass it.
/// </summary>
public static partial class UsernamePolicy
{
    public const int MinLength = 3;
    public const int MaxLength = User.UsernameMaxLength;

    // \A…\z: "$" would also match before a trailing newline ("victim\n").
    public const string Pattern = @"\A[A-Za-z0-9_-]+\z";

    /// <summary>True when <paramref name="username"/> could have been registered: only such names are looked up at login.</summary>
    public static bool IsValid(string username) => username.Length is >= MinLength and <= MaxLength && Allowed().IsMatch(username);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
