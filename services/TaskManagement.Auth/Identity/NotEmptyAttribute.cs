using System.ComponentModel.DataAnnotations;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// Present and not the empty string. Unlike <see cref="RequiredAttribute"/> a blank name is not "missing" (it fails
/// the name's own rules instead); being one, it stops the member's other rules when it fails.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NotEmptyAttribute : RequiredAttribute
{
    public override bool IsValid(object? value) => value is not null and not "";
}
