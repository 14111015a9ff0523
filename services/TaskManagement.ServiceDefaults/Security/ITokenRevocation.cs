using Microsoft.AspNetCore.Http;

namespace TaskManagement.ServiceDefaults.Security;

/// <summary>
/// Decides whether a signed, unexpired token was revoked after it was issued (account deleted, password
/// changed). Auth answers from its own database; Tasks from its revocation table. Optional: a service
/// that registers none only gets the claim checks.
/// </summary>
public interface ITokenRevocation
{
    /// <param name="issuedAt">The token's <c>iat</c> (whole seconds).</param>
    ValueTask<bool> IsRevokedAsync(Guid userId, DateTimeOffset issuedAt, HttpContext http, CancellationToken cancellationToken);
}
