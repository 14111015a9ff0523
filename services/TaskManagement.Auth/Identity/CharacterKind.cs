namespace TaskManagement.Auth.Identity;

/// <summary>A kind of character a password must contain (<see cref="ContainsAttribute"/>).</summary>
public enum CharacterKind
{
    UpperCase,
    LowerCase,
    Digit,

    /// <summary>Anything but a letter or a digit.</summary>
    Symbol,
}
