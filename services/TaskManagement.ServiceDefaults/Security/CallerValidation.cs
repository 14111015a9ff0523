using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskManagement.ServiceDefaults.Security;

/// <summary>
/// The checks after the signature and lifetime: every endpoint relies on <c>sub</c> being a user id and
/// revocation relies on <c>iat</c>, so a token without them is refused here (401) rather than failing later (500).
/// </summary>
public static class CallerValidation
{
    public const string RevokedMessage = "The token has been revoked.";

    /// <summary>The user id in <c>sub</c>: a GUID in its canonical form (the only form Auth writes).</summary>
    public static bool TryGetUserId(string? sub, out Guid userId) => Guid.TryParseExact(sub, "D", out userId);

    public static void UseCallerValidation(this JwtBearerOptions options)
    {
        options.Events ??= new JwtBearerEvents();
        options.Events.OnTokenValidated = ValidateAsync;
    }

    internal static async Task ValidateAsync(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token
            || !token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub)
            || !TryGetUserId(sub, out var userId))
        {
            context.Fail("The token has no usable sub claim.");
            return;
        }

        if (!TryGetIssuedAt(token, out var issuedAt))
        {
            context.Fail("The token has no usable iat claim.");
            return;
        }

        var revocation = context.HttpContext.RequestServices.GetService<ITokenRevocation>();
        if (revocation is not null && await revocation.IsRevokedAsync(userId, issuedAt, context.HttpContext, context.HttpContext.RequestAborted))
        {
            context.Fail(RevokedMessage);
        }
    }

    private static bool TryGetIssuedAt(JsonWebToken token, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (!token.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Iat, out var raw) || raw is null)
        {
            return false;
        }

        // NumericDate (RFC 7519): seconds, possibly fractional; Auth writes whole seconds.
        if (!double.TryParse(Convert.ToString(raw, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        issuedAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
        return true;
    }
}
