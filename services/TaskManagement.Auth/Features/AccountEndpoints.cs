using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using TaskManagement.Auth.Data;
using TaskManagement.Auth.Identity;
using TaskManagement.Contracts;
using TaskManagement.Eventing.Outbox;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Auth.Features;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/auth").WithTags("Account");
        auth.MapPost("/register", RegisterAsync).RequireRateLimiting(RateLimitPolicies.Register).ProducesValidationProblem()
            .ShedWhenBusy<PasswordHasher>();

        var me = auth.MapGroup("").RequireAuthorization().RequireRateLimiting(RateLimitPolicies.General);
        me.MapGet("/me", GetProfileAsync);
        me.MapGet("/profile", GetProfileAsync).WithSummary("Same as GET /me; kept for the original API's clients.");
        me.MapDelete("/me", DeleteAccountAsync);
        me.MapPut("/me/password", ChangePasswordAsync).ProducesValidationProblem().ShedWhenBusy<PasswordHasher>();
        return routes;
    }

    internal static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var username = request.Username!;
        var normalized = User.Normalize(username);
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return UsernameTaken();
        }

        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Username = username,
            NormalizedUsername = normalized,
            PasswordHash = await services.Hasher.HashAsync(request.Password!),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Users.Add(user);
        db.AddEvent(user.Id, new UserRegistered(user.Id, user.Username, now), clock);
        try
        {
            // One SaveChanges = one transaction: the user row and its event commit together or not at all.
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry })
        {
            // Lost a race with a concurrent registration of the same name.
            return UsernameTaken();
        }

        services.Metrics.Registered();
        return TypedResults.Created($"/api/auth/me", new RegisterResponse("User registered successfully", user.Id, user.Username));
    }

    internal static async Task<Results<Ok<ProfileResponse>, UnauthorizedHttpResult>> GetProfileAsync(
        ClaimsPrincipal principal, AuthDbContext db, CancellationToken ct)
    {
        var user = await db.FindSignedInUserAsync(principal, ct);
        return user is null
            ? TypedResults.Unauthorized()
            : TypedResults.Ok(new ProfileResponse(user.Id, user.Username, user.CreatedAt));
    }

    internal static async Task<Results<NoContent, UnauthorizedHttpResult>> DeleteAccountAsync(
        ClaimsPrincipal principal, AuthDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = await db.FindSignedInUserAsync(principal, ct);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        db.Users.Remove(user);
        db.AddEvent(user.Id, new UserDeleted(user.Id, user.Username, clock.GetUtcNow()), clock);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ValidationProblem, UnauthorizedHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var (db, hasher, clock) = (services.Db, services.Hasher, services.Clock);
        var user = await db.FindSignedInUserAsync(principal, ct);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        // A wrong current password is a field error, not 401: the session itself is still valid.
        if (!await hasher.VerifyAsync(request.CurrentPassword!, user.PasswordHash))
        {
            return ErrorHandling.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["Current password is incorrect."] });
        }

        // Every earlier token is revoked: here at once (CredentialsRevocation), elsewhere when the event arrives.
        // The row and its event commit in one transaction.
        var now = clock.GetUtcNow();
        user.PasswordHash = await hasher.HashAsync(request.NewPassword!);
        user.UpdatedAt = now;
        user.CredentialsValidFrom = TokenTimes.NotBeforeAfter(now, user.CredentialsValidFrom);
        db.AddEvent(user.Id, new UserCredentialsChanged(user.Id, now, user.CredentialsValidFrom.Value), clock);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UsernameTaken() => ErrorHandling.Problem(StatusCodes.Status409Conflict, "Username is already taken.");

    /// <summary>The user named by the token's <c>sub</c>, or null when the token names no (longer existing) user.</summary>
    internal static async Task<User?> FindSignedInUserAsync(this AuthDbContext db, ClaimsPrincipal principal, CancellationToken ct)
    {
        var id = principal.GetUserId();
        return await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
    }
}
