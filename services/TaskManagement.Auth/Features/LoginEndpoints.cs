using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Auth.Data;
using TaskManagement.Auth.Identity;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Features;

public static class LoginEndpoints
{
    private const string InvalidCredentials = "Invalid username or password.";

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/auth").WithTags("Login").RequireRateLimiting(RateLimitPolicies.General);
        auth.MapPost("/login", LoginAsync).ProducesValidationProblem().ShedWhenBusy<PasswordHasher>();
        auth.MapPost("/verify", Verify).RequireAuthorization()
            .WithSummary("Validates the bearer token; kept for the original API's clients.");
        return routes;
    }

    internal static async Task<Results<Ok<LoginResponse>, ProblemHttpResult, EmptyHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var (db, hasher, tokens, metrics) = (services.Db, services.Hasher, services.Tokens, services.Metrics);
        var usernameKey = await db.ComparisonKeyAsync(request.Username!, ct);
        if (services.Throttle.TryAttempt(RateLimiting.ClientAddress(http), usernameKey) is { } retryAfter)
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
