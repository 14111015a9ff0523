using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// Reads the caller's task, checks If-Match, applies a change and saves, with the task's version as the
/// optimistic-concurrency token. When another request wins the race the change is re-read and re-applied: a client
/// that sent If-Match then fails the check on the new version (412), one that sent none asked for last-writer-wins
/// and gets it. The last attempt reads under a row lock (SELECT ... FOR UPDATE), so it cannot lose again: every write
/// ends as 200/204, 404 when the task was deleted meanwhile, or 412, never 409.
/// </summary>
internal static class TaskWriter
{
    /// <summary>Optimistic attempts plus the final locked one.</summary>
    private const int WriteAttempts = 4;

    /// <param name="apply">Applies the change to the task as read (again on every attempt) and stages its events.</param>
    public static async Task<Written> WriteAsync(TaskEndpointContext context, Guid id, Func<TaskItem, TaskUpdate> apply, CancellationToken ct)
    {
        var (db, userId) = (context.Db, context.UserId);
        for (var attempt = 1; ; attempt++)
        {
            // A retry starts clean: the lost attempt's entities and staged outbox rows are dropped.
            db.ChangeTracker.Clear();
            var locking = attempt == WriteAttempts;
            // The transaction SaveChanges would open anyway, begun before the read so the last read's lock holds.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
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

            // Nothing changed: nothing tracked, so SaveChanges sends nothing and no event is staged.
            var update = apply(task);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new(task, update, null);
            }
            catch (DbUpdateConcurrencyException) when (!locking)
            {
                // Spread the losers out a little so they do not collide again in lockstep.
                // Stryker disable once all: timing only; no answer, row or event depends on the pause.
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
