using Microsoft.EntityFrameworkCore;
using TaskManagement.Auth.Data;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// Auth refuses a revoked token at once from its own database: the account is gone, or the token was
/// issued before the user's last password change.
/// </summary>
public sealed class CredentialsRevocation(AuthDbContext db) : ITokenRevocation
{
    public async ValueTask<bool> IsRevokedAsync(Guid userId, DateTimeOffset issuedAt, HttpContext http, CancellationToken cancellationToken)
    {
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.CredentialsValidFrom })
            .FirstOrDefaultAsync(cancellationToken);
        return account is null || TokenTimes.IsRevoked(issuedAt, account.CredentialsValidFrom);
    }
}
