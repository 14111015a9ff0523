using System.ComponentModel.DataAnnotations;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Features;

/// <summary>
/// The new password follows the registration rules (<see cref="RegisterRequest.Password"/>'s attributes) and must
/// differ from the current one. Checked as a whole, so every failed rule of both members is listed together.
/// </summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new ValidationErrors()
            .AddIf(string.IsNullOrEmpty(CurrentPassword), "currentPassword", "Current password is required.");
        DeclaredRules.Check<RegisterRequest>(nameof(RegisterRequest.Password), NewPassword, "newPassword", errors);
        errors.AddIf(NewPassword is not null && NewPassword == CurrentPassword, "newPassword", "New password must differ from the current one.");
        return errors.ToDictionary().SelectMany(e => e.Value.Select(message => new ValidationResult(message, [e.Key])));
    }
}
