using System.ComponentModel.DataAnnotations;
using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Features;

/// <summary>
/// The attributes are the account rules (<see cref="UsernamePolicy"/>, <see cref="PasswordPolicy"/>): the built-in
/// validation applies them to this body, and a password change applies <see cref="Password"/>'s to the new password.
/// Every failed rule is listed.
/// </summary>
public sealed record RegisterRequest
{
    [NotEmpty(ErrorMessage = "Username is required.")]
    [Length(UsernamePolicy.MinLength, UsernamePolicy.MaxLength, ErrorMessage = "Username must be {1}–{2} characters long.")]
    [RegularExpression(UsernamePolicy.Pattern, ErrorMessage = "Username may contain only letters, digits, underscores and hyphens.")]
    public string? Username { get; init; }

    [NotEmpty(ErrorMessage = "Password is required.")]
    [MinLength(PasswordPolicy.MinLength, ErrorMessage = "Password must be at least {1} characters long.")]
    [MaxUtf8Bytes(PasswordPolicy.MaxUtf8Bytes, ErrorMessage = "Password must be at most {1} bytes (UTF-8).")]
    [Contains(CharacterKind.UpperCase, ErrorMessage = "Password must contain an upper-case letter.")]
    [Contains(CharacterKind.LowerCase, ErrorMessage = "Password must contain a lower-case letter.")]
    [Contains(CharacterKind.Digit, ErrorMessage = "Password must contain a digit.")]
    [Contains(CharacterKind.Symbol, ErrorMessage = "Password must contain a symbol.")]
    public string? Password { get; init; }
}
