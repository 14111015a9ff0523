using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Features;

public sealed record LoginRequest
{
    [NotEmpty(ErrorMessage = "Username is required.")]
    public string? Username { get; init; }

    [NotEmpty(ErrorMessage = "Password is required.")]
    public string? Password { get; init; }
}
