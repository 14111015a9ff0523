using System.Security.Claims;
using TaskManagement.ServiceDefaults.Security;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>What every task endpoint works with besides its own input, bound as one <c>[AsParameters]</c> argument.</summary>
// Services, not input: the built-in validation must not walk them (it would recurse into the DbContext until it gives up).
// SkipValidation is marked experimental (ASP0029) in .NET 10; it is the documented way to opt a type out.
#pragma warning disable ASP0029
[Microsoft.Extensions.Validation.SkipValidation]
#pragma warning restore ASP0029
public sealed record TaskEndpointContext(HttpContext Http, ClaimsPrincipal User, TasksDbContext Db, TasksMetrics Metrics, TimeProvider Clock)
{
    public Guid UserId => User.GetUserId();

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;
}
