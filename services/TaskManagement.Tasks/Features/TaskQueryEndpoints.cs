using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public static class TaskQueryEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly string[] Sorts = ["created", "-created", "priority", "-priority", "updated", "-updated", "due", "-due", "title"];

    public static RouteGroupBuilder MapTaskQueries(this RouteGroupBuilder tasks)
    {
        tasks.MapGet("/", ListAsync)
            .WithSummary("The caller's tasks: filter by status/priority (repeatable), search q, sort, page with limit/offset.");
        tasks.MapGet("/summary", SummaryAsync);
        tasks.MapGet("/{id:guid}", GetAsync);
        return tasks;
    }

    internal static async Task<Results<Ok<List<TaskResponse>>, ValidationProblem>> ListAsync(
        HttpRequest request, HttpResponse response, ClaimsPrincipal user, TasksDbContext db, TasksMetrics metrics, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = new ValidationErrors();
        var query = request.Query;

        var statuses = new List<TaskItemStatus>();
        foreach (var value in query["status"])
        {
            if (Wire.TryParse(value, out TaskItemStatus s))
            {
                statuses.Add(s);
            }
            else
            {
                errors.Add("status", $"Unknown status '{value}'. Use pending, in_progress or completed.");
            }
        }

        var priorities = new List<TaskItemPriority>();
        foreach (var value in query["priority"])
        {
            if (Wire.TryParse(value, out TaskItemPriority p))
            {
                priorities.Add(p);
            }
            else
            {
                errors.Add("priority", $"Unknown priority '{value}'. Use low, medium or high.");
            }
        }

        var sort = query["sort"].LastOrDefault() ?? "-created";
        errors.AddIf(!Sorts.Contains(sort), "sort", $"Unknown sort '{sort}'. Use one of: {string.Join(", ", Sorts)}.");
        // Larger pages are capped rather than refused, like the original API.
        var limit = ParseInt(query, "limit", DefaultLimit, min: 1, errors, capAt: MaxLimit);
        var offset = ParseInt(query, "offset", 0, min: 0, errors);
        var q = query["q"].LastOrDefault()?.Trim();
        errors.AddIf(q?.Length > TaskRules.TitleMaxLength, "q", $"q must be at most {TaskRules.TitleMaxLength} characters.");
        if (!errors.IsValid)
        {
            return ErrorHandling.ValidationProblem(errors.ToDictionary());
        }

        var userId = user.UserId();
        var tasks = db.Tasks.AsNoTracking().Where(t => t.UserId == userId);
        if (statuses.Count > 0)
        {
            tasks = tasks.Where(t => statuses.Contains(t.Status));
        }

        if (priorities.Count > 0)
        {
            tasks = tasks.Where(t => priorities.Contains(t.Priority));
        }

        if (!string.IsNullOrEmpty(q))
        {
            tasks = tasks.Where(t => t.Title.Contains(q) || (t.Description != null && t.Description.Contains(q)));
        }

        var total = await tasks.CountAsync(ct);
        var page = await Sorted(tasks, sort).Skip(offset).Take(limit).Select(t => TaskResponse.From(t)).ToListAsync(ct);

        response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        response.Headers.Link = PagingLinks(request, total, limit, offset);
        metrics.ListQuery(Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(page);
    }

    internal static async Task<Ok<TaskSummaryResponse>> SummaryAsync(ClaimsPrincipal user, TasksDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = user.UserId();
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

    internal static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpResponse response, ClaimsPrincipal user, TasksDbContext db, CancellationToken ct)
    {
        var userId = user.UserId();
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (task is null)
        {
            return TaskCommandEndpoints.NotFound();
        }

        ETags.Write(response, task);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    private static IQueryable<TaskItem> Sorted(IQueryable<TaskItem> tasks, string sort) => sort switch
    {
        // Every order ends with the id, so pages never overlap or skip rows.
        "created" => tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
        "priority" => tasks.OrderBy(t => t.Priority).ThenByDescending(t => t.CreatedAt).ThenBy(t => t.Id),
        "-priority" => tasks.OrderByDescending(t => t.Priority).ThenByDescending(t => t.CreatedAt).ThenBy(t => t.Id),
        "updated" => tasks.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id),
        "-updated" => tasks.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Id),
        // Tasks without a due date come last in both directions.
        "due" => tasks.OrderBy(t => t.DueDate == null).ThenBy(t => t.DueDate).ThenBy(t => t.Id),
        "-due" => tasks.OrderBy(t => t.DueDate == null).ThenByDescending(t => t.DueDate).ThenBy(t => t.Id),
        "title" => tasks.OrderBy(t => t.Title).ThenBy(t => t.Id),
        _ => tasks.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id),
    };

    /// <summary>
    /// A whole number from <paramref name="min"/> to int.MaxValue. Larger values are a 400, or, when
    /// <paramref name="capAt"/> is given, capped to it (however many digits they have).
    /// </summary>
    private static int ParseInt(IQueryCollection query, string name, int fallback, int min, ValidationErrors errors, int? capAt = null)
    {
        var raw = query[name].LastOrDefault();
        if (raw is null)
        {
            return fallback;
        }

        var digits = raw.Length > 0 && raw.All(char.IsAsciiDigit);
        var parsed = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        if (digits && !parsed && capAt is { } cap)
        {
            return cap; // too many digits for an int, so above any cap
        }

        if (!parsed || value < min)
        {
            errors.Add(name, $"{name} must be a whole number from {min} to {int.MaxValue}.");
            return fallback;
        }

        return capAt is { } limit ? Math.Min(value, limit) : value;
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
