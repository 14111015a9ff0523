using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.LiveUpdates;

namespace TaskManagement.Tasks.Features;

public static class TaskEndpoints
{
    /// <summary>Every task route needs a signed-in user; each user sees only their own tasks.</summary>
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        var tasks = routes.MapGroup("/api/tasks")
            .WithTags("Tasks")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.General);
        tasks.MapTaskQueries();
        tasks.MapTaskCommands();
        tasks.MapLiveStream();
        return routes;
    }
}
