using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskManagement.ServiceDefaults.Security;

/// <summary>The signed-in user as the endpoints see it.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The claim holding the user id (inbound claims are not mapped, so it keeps its JWT name).</summary>
    public const string UserIdClaim = JwtRegisteredClaimNames.Sub;

    /// <summary>
    /// The signed-in user's id from the token's <c>sub</c>. Bearer validation (<see cref="CallerValidation"/>) already
    /// refused any token without one (401), so a failure here is a wiring bug, not client input.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        CallerValidation.TryGetUserId(principal.FindFirstValue(UserIdClaim), out var id)
            ? id
            : throw new InvalidOperationException("An authenticated principal without a usable sub claim.");
}
