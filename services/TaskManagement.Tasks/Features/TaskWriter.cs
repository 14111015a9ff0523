using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// Reads the caller's task, checks If-Match, applies a change and saves, with the task's version as the
/// optimistic-concurrency token. When another request wins the race: a client that sent If-Match gets 412 (its
/// precondition no longer holds); one that sent none asked for last-writer-wins, so the change is re-read and
/// re-applied. The last attempt reads under a row lock (SELECT ... FOR UPDATE), so it cannot lose again: every
/// unconditional write ends as 200/204, or 404 when the task was deleted meanwhile, never 409.
/// </summary>
internal static class TaskWriter
{
    /// <summary>Optimistic attempts plus the final locked one, for a write without If-Match.</summary>
    private const int WriteAttempts = 4;

    /// <param name="apply">Applies the change to the task as read (again on every attempt) and stages its events.</param>
    public static async Task<Written> WriteAsync(TaskEndpointContext context, Guid id, Func<TaskItem, TaskUpdate> apply, CancellationToken ct)
    {
        var (db, userId) = (context.Db, context.UserId);
        var conditional = ETags.IsConditional(context.Request);
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
                return new(null, null, TaskProblems.NotFound());
            }

            if (!ETags.Matches(context.Request, task))
            {
                return new(null, null, TaskProblems.PreconditionFailed());
            }

            var update = apply(task);
            if (!update.Changed)
            {
                return new(task, update, null);
            }

            try
            {
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }

                return new(task, update, null);
            }
            catch (DbUpdateConcurrencyException) when (conditional)
            {
                return new(null, null, TaskProblems.PreconditionFailed());
            }
            catch (DbUpdateConcurrencyException) when (attempt < WriteAttempts)
            {
                // Spread the losers out a little so they do not collide again in lockstep.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    /// <summary>The written task and what changed, or the problem that stopped the write (404 or 412).</summary>
    internal sealed record Written(TaskItem? Task, TaskUpdate? Update, ProblemHttpResult? Problem)
    {
        [MemberNotNullWhen(true, nameof(Task), nameof(Update))]
        [MemberNotNullWhen(false, nameof(Problem))]
        public bool Found => Task is not null;
    }
}
