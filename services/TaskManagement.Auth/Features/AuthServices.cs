using TaskManagement.Auth.Data;
using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Features;

/// <summary>What the login and account endpoints work with, bound as one <c>[AsParameters]</c> argument.</summary>
// Services, not input: the built-in validation must not walk them (it would recurse into the DbContext until it gives up).
// SkipValidation is marked experimental (ASP0029) in .NET 10; it is the documented way to opt a type out.
#pragma warning disable ASP0029
[Microsoft.Extensions.Validation.SkipValidation]
#pragma warning restore ASP0029
public sealed record AuthServices(
    AuthDbContext Db, PasswordHasher Hasher, TokenIssuer Tokens, LoginThrottle Throttle, AuthMetrics Metrics, TimeProvider Clock);
