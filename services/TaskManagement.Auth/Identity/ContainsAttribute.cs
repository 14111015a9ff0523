using System.ComponentModel.DataAnnotations;

namespace TaskManagement.Auth.Identity;

/// <summary>The text contains at least one character of the <see cref="Kind"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class ContainsAttribute(CharacterKind kind) : ValidationAttribute
{
    public CharacterKind Kind { get; } = kind;

    public override bool IsValid(object? value) => value is not string text || text.Any(Test);

    private bool Test(char c) => Kind switch
    {
        CharacterKind.UpperCase => char.IsUpper(c),
        CharacterKind.LowerCase => char.IsLower(c),
        CharacterKind.Digit => char.IsDigit(c),
        _ => !char.IsLetterOrDigit(c),
    };
}
