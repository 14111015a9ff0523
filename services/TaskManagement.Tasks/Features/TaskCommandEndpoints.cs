using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Contracts;
using TaskManagement.Eventing.Outbox;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public static class TaskCommandEndpoints
{
    /// <summary>Optimistic attempts plus the final locked one, for a write without If-Match.</summary>
    private const int WriteAttempts = 4;

    public static RouteGroupBuilder MapTaskCommands(this RouteGroupBuilder tasks)
    {
        tasks.MapPost("/", CreateAsync).RequireRateLimiting(RateLimitPolicies.TaskCreate);
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
        db.AddEvent(task.Id, new TaskCreated(task.Id, task.UserId, task.ToState()), clock);
        if (completes)
        {
            db.AddEvent(task.Id, new TaskCompleted(task.Id, task.UserId, now, task.ToState()), clock);
        }

        await db.SaveChangesAsync(ct);
        metrics.Operation("create");
        ETags.Write(response, task);
        return TypedResults.Created($"/api/tasks/{task.Id}", CreatedTaskResponse.From(task, "Task created successfully"));
    }

    internal static async Task<Results<Ok<UpdatedTaskResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        if (!http.HasJsonContentType())
        {
            return ErrorHandling.Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json).");
        }

        var (change, errors) = await TaskChange.ReadReplacementAsync(http, ct);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var written = await ChangeAsync(id, change, http, user, db, metrics, clock, ct);
        return written.Found ? TypedResults.Ok(UpdatedTaskResponse.From(written.Task, "Task updated")) : written.Problem;
    }

    internal static async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var (change, errors) = await TaskChange.ReadMergePatchAsync(http, ct);
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var written = await ChangeAsync(id, change, http, user, db, metrics, clock, ct);
        return written.Found ? TypedResults.Ok(TaskResponse.From(written.Task)) : written.Problem;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var written = await WriteAsync(db, id, http, user, task =>
        {
            db.Tasks.Remove(task);
            db.AddEvent(task.Id, new TaskDeleted(task.Id, task.UserId, "user", task.ToState()), clock);
            return new Applied(["deleted"], false); // any non-empty list: the removal is a change to save
        }, ct);
        if (!written.Found)
        {
            return written.Problem;
        }

        metrics.Operation("delete");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<StatusToggleResponse>, ProblemHttpResult>> ToggleStatusAsync(
        Guid id, HttpRequest http, HttpResponse response, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        // Re-evaluated on every attempt: a toggle flips the status the task has when the write lands.
        var written = await WriteAsync(db, id, http, user, task =>
        {
            var next = task.Status == TaskItemStatus.Completed ? TaskItemStatus.Pending : TaskItemStatus.Completed;
            return Apply(task, new TaskChange(null, null, false, null, next, null, false), db, clock);
        }, ct);
        if (!written.Found)
        {
            return written.Problem;
        }

        metrics.Operation(written.Applied.Completed ? "complete" : "update");
        ETags.Write(response, written.Task);
        return TypedResults.Ok(new StatusToggleResponse("Task status updated", written.Task.Status));
    }

    private static async Task<Written> ChangeAsync(
        Guid id, TaskChange change, HttpRequest http, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var written = await WriteAsync(db, id, http, user, task => Apply(task, change, db, clock), ct);
        if (!written.Found)
        {
            return written;
        }

        if (written.Applied.ChangedFields.Count > 0)
        {
            metrics.Operation(written.Applied.Completed ? "complete" : "update");
        }

        ETags.Write(http.HttpContext.Response, written.Task);
        return written;
    }

    /// <summary>Applies a change; when anything changed, bumps the version and stages task.updated (and task.completed on that transition).</summary>
    private static Applied Apply(TaskItem task, TaskChange change, TasksDbContext db, TimeProvider clock)
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
            return new(changed, false);
        }

        task.Version++;
        task.UpdatedAt = now;
        var state = task.ToState();
        db.AddEvent(task.Id, new TaskUpdated(task.Id, task.UserId, changed, state), clock);
        if (completed)
        {
            db.AddEvent(task.Id, new TaskCompleted(task.Id, task.UserId, now, state), clock);
        }

        return new(changed, completed);
    }

    /// <summary>
    /// Reads the caller's task, checks If-Match, applies <paramref name="apply"/> and saves, with the task's version as
    /// the optimistic-concurrency token. When another request wins the race: a client that sent If-Match gets 412 (its
    /// precondition no longer holds); one that sent none asked for last-writer-wins, so the change is re-read and
    /// re-applied. The last attempt reads under a row lock (SELECT ... FOR UPDATE), so it cannot lose again: every
    /// unconditional write ends as 200/204, or 404 when the task was deleted meanwhile, never 409.
    /// </summary>
    private static async Task<Written> WriteAsync(TasksDbContext db, Guid id, HttpRequest http, ClaimsPrincipal user, Func<TaskItem, Applied> apply, CancellationToken ct)
    {
        var userId = user.UserId();
        var conditional = ETags.IsConditional(http);
        for (var attempt = 1; ; attempt++)
        {
            // A retry starts clean: the lost attempt's entities and staged outbox rows are dropped.
            db.ChangeTracker.Clear();
            var locking = !conditional && attempt == WriteAttempts;
            await using var transaction = locking ? await db.Database.BeginTransactionAsync(ct) : null;
            var task = locking
                ? (await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {id} AND user_id = {userId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
                : await db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
            if (task is null)
            {
                return new(null, default, NotFound());
            }

            if (!ETags.Matches(http, task))
            {
                return new(null, default, PreconditionFailed());
            }

            var applied = apply(task);
            if (applied.ChangedFields.Count == 0)
            {
                return new(task, applied, null);
            }

            try
            {
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }

                return new(task, applied, null);
            }
            catch (DbUpdateConcurrencyException) when (conditional)
            {
                return new(null, default, PreconditionFailed());
            }
            catch (DbUpdateConcurrencyException) when (attempt < WriteAttempts)
            {
                // Spread the losers out a little so they do not collide again in lockstep.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    /// <summary>What a write changed (field names for task.updated) and whether it completed the task.</summary>
    private readonly record struct Applied(IReadOnlyList<string> ChangedFields, bool Completed);

    /// <summary>The written task, or the problem that stopped the write (404 or 412).</summary>
    private sealed record Written(TaskItem? Task, Applied Applied, ProblemHttpResult? Problem)
    {
        [MemberNotNullWhen(true, nameof(Task))]
        [MemberNotNullWhen(false, nameof(Problem))]
        public bool Found => Task is not null;
    }

    /// <summary>Missing and not-yours look the same: never a hint that a task exists.</summary>
    internal static ProblemHttpResult NotFound() => ErrorHandling.Problem(StatusCodes.Status404NotFound, "Task not found.");

    private static ProblemHttpResult PreconditionFailed() =>
        ErrorHandling.Problem(StatusCodes.Status412PreconditionFailed, "The task has changed since you read it (If-Match does not match its ETag).");
}
