using System.Security.Claims;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Auth.Data;
using TaskManagement.Auth.Identity;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Features;

public sealed record LoginRequest(string? Username, string? Password);

/// <summary><c>userId</c> and <c>username</c> are what the original API's clients read besides the token.</summary>
public sealed record LoginResponse(string Token, string TokenType, int ExpiresIn, Guid UserId, string Username);

public sealed record VerifyResponse(bool Valid, Guid UserId, string Username);

/// <summary>
/// Login attempts per client address and username: one attacker address can exhaust only its own
/// attempts at a name, never the user's attempts from elsewhere. The name is keyed in the form the
/// database compares it (<see cref="UsernameComparison"/>), so spellings it would match share one bucket.
/// </summary>
public sealed class LoginThrottle(RateLimitingOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options[RateLimitPolicies.Login].PermitLimit,
            Window = options[RateLimitPolicies.Login].Window,
            QueueLimit = 0,
        }));

    /// <summary>Null when allowed; otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string clientAddress, string usernameKey)
    {
        using var lease = _limiter.AttemptAcquire($"{clientAddress}|{usernameKey}");
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options[RateLimitPolicies.Login].Window;
    }

    public void Dispose() => _limiter.Dispose();
}

public static class LoginEndpoints
{
    private const string InvalidCredentials = "Invalid username or password.";

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/auth").WithTags("Login").RequireRateLimiting(RateLimitPolicies.General);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/verify", Verify).RequireAuthorization()
            .WithSummary("Validates the bearer token; kept for the original API's clients.");
        return routes;
    }

    internal static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext http, AuthDbContext db, PasswordHasher hasher, TokenIssuer tokens,
        LoginThrottle throttle, AuthMetrics metrics, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .AddIf(string.IsNullOrEmpty(request.Username), "username", "Username is required.")
            .AddIf(string.IsNullOrEmpty(request.Password), "password", "Password is required.");
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var usernameKey = await db.ComparisonKeyAsync(request.Username!, ct);
        if (throttle.TryAttempt(RateLimiting.ClientAddress(http), usernameKey) is { } retryAfter)
        {
            metrics.Login("rate_limited");
            await RateLimiting.WriteRejectionAsync(http, retryAfter);
            return TypedResults.Empty;
        }

        // Only a name that could have been registered is looked up: the column's collation would
        // otherwise match lookalikes ("name ", "náme") to the account.
        var normalized = User.Normalize(request.Username!);
        var user = UsernamePolicy.IsValid(request.Username!)
            ? await db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == normalized, ct)
            : null;

        // bcrypt ignores every byte after 72, so registration refuses longer passwords and login does too
        // (checked against the dummy hash, so it costs the same time as any other failure).
        var tooLong = Encoding.UTF8.GetByteCount(request.Password!) > PasswordPolicy.MaxUtf8Bytes;

        // Unknown user and wrong password take the same path and the same BCrypt time.
        if (!await hasher.VerifyAsync(request.Password!, tooLong ? null : user?.PasswordHash) || user is null || tooLong)
        {
            metrics.Login("invalid_credentials");
            return ErrorHandling.Problem(StatusCodes.Status401Unauthorized, InvalidCredentials);
        }

        if (hasher.NeedsRehash(user.PasswordHash))
        {
            user.PasswordHash = await hasher.HashAsync(request.Password!);
            await db.SaveChangesAsync(ct);
        }

        metrics.Login("success");
        return TypedResults.Ok(new LoginResponse(tokens.Issue(user), "Bearer", (int)tokens.Lifetime.TotalSeconds, user.Id, user.Username));
    }

    internal static async Task<Results<Ok<VerifyResponse>, UnauthorizedHttpResult>> Verify(ClaimsPrincipal principal, AuthDbContext db, CancellationToken ct)
    {
        var user = await db.FindSignedInUserAsync(principal, ct);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(new VerifyResponse(true, user.Id, user.Username));
    }
}
