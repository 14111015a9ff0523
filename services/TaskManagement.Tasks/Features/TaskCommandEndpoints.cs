using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.ServiceDefaults.Outbox;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public static class TaskCommandEndpoints
{
    public static RouteGroupBuilder MapTaskCommands(this RouteGroupBuilder tasks)
    {
        tasks.MapPost("/", CreateAsync).RequireRateLimiting(RateLimitPolicies.TaskCreate);
        tasks.MapPut("/{id:guid}", ReplaceAsync);
        tasks.MapPatch("/{id:guid}", PatchAsync)
            .Accepts<JsonElement>("application/json", "application/merge-patch+json")
            .WithSummary("JSON merge patch: any subset of title, description, priority, status, dueDate; null clears description/dueDate.");
        tasks.MapDelete("/{id:guid}", DeleteAsync);
        tasks.MapPatch("/{id:guid}/status", ToggleStatusAsync)
            .WithSummary("Toggles pending ⇄ completed (in progress completes); kept for the original API's clients.");
        return tasks;
    }

    internal static async Task<Results<Created<CreatedTaskResponse>, ValidationProblem>> CreateAsync(
        CreateTaskRequest request, HttpResponse response, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var title = TaskRules.Title(request.Title, errors);
        var description = TaskRules.Description(request.Description, errors);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(),
            UserId = user.UserId(),
            Title = title!,
            Description = description,
            Priority = request.Priority ?? TaskItemPriority.Medium,
            DueDate = request.DueDate,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var completes = task.ChangeStatus(request.Status ?? TaskItemStatus.Pending, now);
        db.Tasks.Add(task);
        db.AddEvent(EventTypes.TaskCreated, EventSources.Tasks, task.Id.ToString(), new TaskCreated(task.Id, task.UserId, task.ToState()), clock);
        if (completes)
        {
            db.AddEvent(EventTypes.TaskCompleted, EventSources.Tasks, task.Id.ToString(), new TaskCompleted(task.Id, task.UserId, now, task.ToState()), clock);
        }

        await db.SaveChangesAsync(ct);
        metrics.Operation("create");
        ETags.Write(response, task);
        return TypedResults.Created($"/api/tasks/{task.Id}", CreatedTaskResponse.From(task, "Task created successfully"));
    }

    internal static async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, ReplaceTaskRequest request, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var title = TaskRules.Title(request.Title, errors);
        var description = TaskRules.Description(request.Description, errors);
        errors.AddIf(request.Priority is null, "priority", "Priority is required (low, medium or high).");
        errors.AddIf(request.Status is null, "status", "Status is required (pending, in_progress or completed).");
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        return await ChangeAsync(id, new TaskChange(title, description, true, request.Priority, request.Status, request.DueDate, true), http, user, db, metrics, clock, ct);
    }

    internal static async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var (change, errors) = await TaskChange.ReadMergePatchAsync(http, ct);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        return await ChangeAsync(id, change, http, user, db, metrics, clock, ct);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var target = await FindForWriteAsync(db, id, http, user, ct);
        if (!target.Found)
        {
            return target.Problem;
        }

        var task = target.Task;

        db.Tasks.Remove(task);
        db.AddEvent(EventTypes.TaskDeleted, EventSources.Tasks, task.Id.ToString(), new TaskDeleted(task.Id, task.UserId, "user", task.ToState()), clock);
        if (!await TrySaveAsync(db, ct))
        {
            return ConcurrentChange();
        }

        metrics.Operation("delete");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<StatusToggleResponse>, ProblemHttpResult>> ToggleStatusAsync(
        Guid id, HttpRequest http, HttpResponse response, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var target = await FindForWriteAsync(db, id, http, user, ct);
        if (!target.Found)
        {
            return target.Problem;
        }

        var task = target.Task;

        var next = task.Status == TaskItemStatus.Completed ? TaskItemStatus.Pending : TaskItemStatus.Completed;
        var outcome = Apply(task, new TaskChange(null, null, false, null, next, null, false), db, clock);
        if (!await TrySaveAsync(db, ct))
        {
            return ConcurrentChange();
        }

        metrics.Operation(outcome.Completed ? "complete" : "update");
        ETags.Write(response, task);
        return TypedResults.Ok(new StatusToggleResponse("Task status updated", task.Status));
    }

    private static async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id, TaskChange change, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var target = await FindForWriteAsync(db, id, http, user, ct);
        if (!target.Found)
        {
            return target.Problem;
        }

        var task = target.Task;

        var outcome = Apply(task, change, db, clock);
        if (outcome.ChangedFields.Count > 0)
        {
            if (!await TrySaveAsync(db, ct))
            {
                return ConcurrentChange();
            }

            metrics.Operation(outcome.Completed ? "complete" : "update");
        }

        ETags.Write(http.HttpContext.Response, task);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    /// <summary>Applies a change; when anything changed, bumps the version and stages task.updated (and task.completed on that transition).</summary>
    private static (IReadOnlyList<string> ChangedFields, bool Completed) Apply(TaskItem task, TaskChange change, TasksDbContext db, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var changed = new List<string>();
        if (change.Title is { } title && title != task.Title)
        {
            task.Title = title;
            changed.Add("title");
        }

        if (change.SetsDescription && change.Description != task.Description)
        {
            task.Description = change.Description;
            changed.Add("description");
        }

        if (change.Priority is { } priority && priority != task.Priority)
        {
            task.Priority = priority;
            changed.Add("priority");
        }

        if (change.SetsDueDate && change.DueDate != task.DueDate)
        {
            task.DueDate = change.DueDate;
            changed.Add("dueDate");
        }

        var completed = false;
        if (change.Status is { } status && status != task.Status)
        {
            completed = task.ChangeStatus(status, now);
            changed.Add("status");
        }

        if (changed.Count == 0)
        {
            return (changed, false);
        }

        task.Version++;
        task.UpdatedAt = now;
        var state = task.ToState();
        db.AddEvent(EventTypes.TaskUpdated, EventSources.Tasks, task.Id.ToString(), new TaskUpdated(task.Id, task.UserId, changed, state), clock);
        if (completed)
        {
            db.AddEvent(EventTypes.TaskCompleted, EventSources.Tasks, task.Id.ToString(), new TaskCompleted(task.Id, task.UserId, now, state), clock);
        }

        return (changed, completed);
    }

    /// <summary>The caller's task, tracked for a write: 404 when it is missing or not theirs, 412 when If-Match is stale.</summary>
    private static async Task<WriteTarget> FindForWriteAsync(TasksDbContext db, Guid id, HttpRequest http, ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.UserId();
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        return task is null ? new(null, NotFound())
            : ETags.Matches(http, task) ? new(task, null)
            : new(null, PreconditionFailed());
    }

    private sealed record WriteTarget(TaskItem? Task, ProblemHttpResult? Problem)
    {
        [MemberNotNullWhen(true, nameof(Task))]
        [MemberNotNullWhen(false, nameof(Problem))]
        public bool Found => Task is not null;
    }

    /// <summary>False when another request changed the task between our read and our write.</summary>
    private static async Task<bool> TrySaveAsync(TasksDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Missing and not-yours look the same: never a hint that a task exists.</summary>
    internal static ProblemHttpResult NotFound() => ErrorHandling.Problem(StatusCodes.Status404NotFound, "Task not found.");

    private static ProblemHttpResult PreconditionFailed() =>
        ErrorHandling.Problem(StatusCodes.Status412PreconditionFailed, "The task has changed since you read it (If-Match does not match its ETag).");

    private static ProblemHttpResult ConcurrentChange() =>
        ErrorHandling.Problem(StatusCodes.Status409Conflict, "The task was changed by another request at the same time. Read it again and retry.");
}
