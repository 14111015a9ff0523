using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public static class TaskCommandEndpoints
{
    public static RouteGroupBuilder MapTaskCommands(this RouteGroupBuilder tasks)
    {
        tasks.MapPost("/", CreateAsync).RequireRateLimiting(RateLimitPolicies.TaskCreate).ProducesValidationProblem();
        tasks.MapPut("/{id:guid}", ReplaceAsync)
            .Accepts<ReplaceTaskRequest>("application/json")
            .WithSummary("Sets the task: title required; an absent priority, status, description or dueDate keeps its value (the original API's rule).");
        tasks.MapPatch("/{id:guid}", PatchAsync)
            .Accepts<JsonElement>("application/json", "application/merge-patch+json")
            .WithSummary("JSON merge patch: any subset of title, description, priority, status, dueDate; null clears description/dueDate.");
        tasks.MapDelete("/{id:guid}", DeleteAsync);
        tasks.MapPatch("/{id:guid}/status", ToggleStatusAsync)
            .WithSummary("Toggles pending ⇄ completed (in progress completes); kept for the original API's clients.");
        return tasks;
    }

    internal static async Task<Created<CreatedTaskResponse>> CreateAsync(CreateTaskRequest request, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var (db, clock) = (context.Db, context.Clock);
        var now = clock.GetUtcNow();
        var task = TaskItem.Create(context.UserId, request.Title!, request.Description, request.Priority, request.Status, request.DueDate, now);
        db.AddTask(task, clock);
        await db.SaveChangesAsync(ct);
        context.Metrics.Operation("create");
        ETags.Write(context.Response, task);
        return TypedResults.Created($"/api/tasks/{task.Id}", CreatedTaskResponse.From(task, "Task created successfully"));
    }

    internal static async Task<Results<Ok<UpdatedTaskResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TaskProblems.NotJson();
        }

        var (change, errors) = await TaskChangeReader.ReadReplacementAsync(context.Request, ct);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var written = await ChangeAsync(id, change, context, ct);
        return written.Found ? TypedResults.Ok(UpdatedTaskResponse.From(written.Task, "Task updated")) : written.Problem;
    }

    internal static async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        Guid id, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var (change, errors) = await TaskChangeReader.ReadMergePatchAsync(context.Request, ct);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var written = await ChangeAsync(id, change, context, ct);
        return written.Found ? TypedResults.Ok(TaskResponse.From(written.Task)) : written.Problem;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var db = context.Db;
        var written = await TaskWriter.WriteAsync(context, id, task =>
        {
            db.RemoveTask(task, TaskOutbox.DeletedByUser, context.Clock);
            return TaskUpdate.Removed;
        }, ct);
        if (!written.Found)
        {
            return written.Problem;
        }

        context.Metrics.Operation("delete");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<StatusToggleResponse>, ProblemHttpResult>> ToggleStatusAsync(
        Guid id, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        // Re-evaluated on every attempt: a toggle flips the status the task has when the write lands.
        var written = await TaskWriter.WriteAsync(context, id, task =>
        {
            var next = task.Status == TaskItemStatus.Completed ? TaskItemStatus.Pending : TaskItemStatus.Completed;
            return context.Db.UpdateTask(task, TaskChange.None with { Status = next }, context.Clock);
        }, ct);
        if (!written.Found)
        {
            return written.Problem;
        }

        context.Metrics.Operation(written.Update.Completed ? "complete" : "update");
        ETags.Write(context.Response, written.Task);
        return TypedResults.Ok(new StatusToggleResponse("Task status updated", written.Task.Status));
    }

    private static async Task<TaskWriter.Written> ChangeAsync(Guid id, TaskChange change, TaskEndpointContext context, CancellationToken ct)
    {
        var written = await TaskWriter.WriteAsync(context, id, task => context.Db.UpdateTask(task, change, context.Clock), ct);
        if (!written.Found)
        {
            return written;
        }

        if (written.Update.Changed)
        {
            context.Metrics.Operation(written.Update.Completed ? "complete" : "update");
        }

        ETags.Write(context.Response, written.Task);
        return written;
    }
}
