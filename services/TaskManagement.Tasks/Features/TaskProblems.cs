using Microsoft.AspNetCore.Http.HttpResults;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Tasks.Features;

/// <summary>The task endpoints' own problems (validation problems come from the request rules).</summary>
public static class TaskProblems
{
    /// <summary>Missing and not-yours look the same: never a hint that a task exists.</summary>
    public static ProblemHttpResult NotFound() => ErrorHandling.Problem(StatusCodes.Status404NotFound, "Task not found.");

    public static ProblemHttpResult PreconditionFailed() =>
        ErrorHandling.Problem(StatusCodes.Status412PreconditionFailed, "The task has changed since you read it (If-Match does not match its ETag).");

    public static ProblemHttpResult NotJson() =>
        ErrorHandling.Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json).");
}
