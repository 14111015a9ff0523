using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public static class TaskQueryEndpoints
{
    public static RouteGroupBuilder MapTaskQueries(this RouteGroupBuilder tasks)
    {
        tasks.MapGet("/", ListAsync)
            .WithSummary("The caller's tasks: filter by status/priority (repeatable), search q, sort, page with limit/offset.")
            .ProducesValidationProblem();
        tasks.MapGet("/summary", SummaryAsync);
        tasks.MapGet("/{id:guid}", GetAsync);
        return tasks;
    }

    internal static async Task<Ok<List<TaskResponse>>> ListAsync([AsParameters] TaskListQuery query, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (statuses, priorities, text) = (query.Statuses, query.Priorities, query.Text);
        var tasks = context.Db.Tasks.AsNoTracking().Where(t => t.UserId == context.UserId);
        if (statuses.Count > 0)
        {
            tasks = tasks.Where(t => statuses.Contains(t.Status));
        }

        if (priorities.Count > 0)
        {
            tasks = tasks.Where(t => priorities.Contains(t.Priority));
        }

        if (!string.IsNullOrEmpty(text))
        {
            tasks = tasks.Where(t => t.Title.Contains(text) || (t.Description != null && t.Description.Contains(text)));
        }

        // One row more than the page says whether anything follows it. Only then (or past the end) is the total
        // unknown and counted: a list that fits on its page costs one query, not two.
        var (limit, offset) = (query.PageSize, query.PageOffset);
        var page = await query.Order.Apply(tasks).Skip(offset).Take(limit + 1).Select(t => TaskResponse.From(t)).ToListAsync(ct);
        var more = page.Count > limit;
        var total = more || (page.Count == 0 && offset > 0) ? await tasks.CountAsync(ct) : offset + page.Count;
        if (more)
        {
            page.RemoveAt(limit);
        }

        context.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.Link = PagingLinks(context.Request, total, limit, offset);
        context.Metrics.ListQuery(Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(page);
    }

    internal static async Task<Ok<TaskSummaryResponse>> SummaryAsync([AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var (db, userId, clock) = (context.Db, context.UserId, context.Clock);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        // One aggregate query over all of the caller's tasks: independent of any page.
        var counts = await db.Tasks.AsNoTracking()
            .Where(t => t.UserId == userId)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Pending = g.Count(t => t.Status == TaskItemStatus.Pending),
                InProgress = g.Count(t => t.Status == TaskItemStatus.InProgress),
                Completed = g.Count(t => t.Status == TaskItemStatus.Completed),
                Low = g.Count(t => t.Priority == TaskItemPriority.Low),
                Medium = g.Count(t => t.Priority == TaskItemPriority.Medium),
                High = g.Count(t => t.Priority == TaskItemPriority.High),
                Overdue = g.Count(t => t.DueDate != null && t.DueDate < today && t.Status != TaskItemStatus.Completed),
            })
            .SingleOrDefaultAsync(ct);

        if (counts is null)
        {
            return TypedResults.Ok(new TaskSummaryResponse(0, new(0, 0, 0), new(0, 0, 0), 0, 0));
        }

        return TypedResults.Ok(new TaskSummaryResponse(
            counts.Total,
            new StatusCounts(counts.Pending, counts.InProgress, counts.Completed),
            new PriorityCounts(counts.Low, counts.Medium, counts.High),
            counts.Overdue,
            Math.Round((double)counts.Completed / counts.Total, 4)));
    }

    internal static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetAsync(Guid id, [AsParameters] TaskEndpointContext context, CancellationToken ct)
    {
        var userId = context.UserId;
        var task = await context.Db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (task is null)
        {
            return TaskProblems.NotFound();
        }

        ETags.Write(context.Response, task);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    /// <summary>
    /// RFC 8288 links to the first, previous, next and last pages, keeping every other query parameter. Offsets are
    /// computed in long (offset + limit overflows int at the top of the range); past the end, prev is the last page.
    /// </summary>
    private static string PagingLinks(HttpRequest request, int total, int limit, int offset)
    {
        var lastOffset = total == 0 ? 0 : (total - 1) / limit * limit;
        var links = new List<string> { Link(request, limit, 0, "first") };
        if (offset > 0)
        {
            links.Add(Link(request, limit, Math.Min(Math.Max(0, offset - limit), lastOffset), "prev"));
        }

        if ((long)offset + limit < total)
        {
            links.Add(Link(request, limit, offset + limit, "next"));
        }

        links.Add(Link(request, limit, lastOffset, "last"));
        return string.Join(", ", links);
    }

    private static string Link(HttpRequest request, int limit, int offset, string rel)
    {
        var parameters = request.Query
            .Where(p => p.Key is not ("limit" or "offset"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
            .Append(new("offset", offset.ToString(CultureInfo.InvariantCulture)));
        return $"<{QueryHelpers.AddQueryString($"{request.PathBase}{request.Path}", parameters)}>; rel=\"{rel}\"";
    }
}
