using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// GET /api/tasks's query, bound with <c>[AsParameters]</c> and checked by the built-in validation. Values arrive as
/// text, so a wrong one is a 400 naming its parameter and value (a typed binder would refuse it without saying which);
/// of a repeated <c>sort</c>, <c>limit</c>, <c>offset</c> or <c>q</c> the last one counts.
/// </summary>
public sealed class TaskListQuery : IValidatableObject
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Any of these statuses (repeatable).</summary>
    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    /// <summary>Any of these priorities (repeatable).</summary>
    [FromQuery(Name = "priority")]
    public string[]? Priority { get; init; }

    /// <summary>Text in the title or description.</summary>
    [FromQuery(Name = "q")]
    public string[]? Q { get; init; }

    /// <summary>created, -created, priority, -priority, updated, -updated, due, -due or title; default -created.</summary>
    [FromQuery(Name = "sort")]
    public string[]? Sort { get; init; }

    /// <summary>Page size, 1 or more (default 50); larger pages are capped at 200, like the original API.</summary>
    [FromQuery(Name = "limit")]
    public string[]? Limit { get; init; }

    [FromQuery(Name = "offset")]
    public string[]? Offset { get; init; }

    public IReadOnlyList<TaskItemStatus> Statuses => [.. ParsedOrNone<TaskItemStatus>(Status)];

    public IReadOnlyList<TaskItemPriority> Priorities => [.. ParsedOrNone<TaskItemPriority>(Priority)];

    public string? Text => Q?.LastOrDefault()?.Trim();

    public TaskSort Order => Sort?.LastOrDefault() is { } key ? TaskSort.Find(key) ?? TaskSort.Default : TaskSort.Default;

    public int PageSize => WholeNumber(Limit, DefaultLimit, min: 1, capAt: MaxLimit) ?? DefaultLimit;

    public int PageOffset => WholeNumber(Offset, 0, min: 0) ?? 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var value in (Status ?? []).Where(v => !Wire.TryParse(v, out TaskItemStatus _)))
        {
            yield return new($"Unknown status '{value}'. Use {Wire.Choices<TaskItemStatus>()}.", ["status"]);
        }

        foreach (var value in (Priority ?? []).Where(v => !Wire.TryParse(v, out TaskItemPriority _)))
        {
            yield return new($"Unknown priority '{value}'. Use {Wire.Choices<TaskItemPriority>()}.", ["priority"]);
        }

        if (Sort?.LastOrDefault() is { } sort && TaskSort.Find(sort) is null)
        {
            yield return new($"Unknown sort '{sort}'. Use one of: {string.Join(", ", TaskSort.Keys)}.", ["sort"]);
        }

        foreach (var (name, values, min) in new[] { ("limit", Limit, 1), ("offset", Offset, 0) })
        {
            if (WholeNumber(values, 0, min, capAt: name == "limit" ? MaxLimit : null) is null)
            {
                yield return new($"{name} must be a whole number from {min} to {int.MaxValue}.", [name]);
            }
        }

        if (Text?.Length > TaskItem.TitleMaxLength)
        {
            yield return new($"q must be at most {TaskItem.TitleMaxLength} characters.", ["q"]);
        }
    }

    private static IEnumerable<TEnum> ParsedOrNone<TEnum>(string[]? values)
        where TEnum : struct, Enum
    {
        foreach (var value in values ?? [])
        {
            if (Wire.TryParse(value, out TEnum parsed))
            {
                yield return parsed;
            }
        }
    }

    /// <summary>
    /// The last value as a whole number from <paramref name="min"/> to int.MaxValue, <paramref name="fallback"/> when
    /// absent, null when invalid. With <paramref name="capAt"/>, larger values (however many digits) are capped to it.
    /// </summary>
    private static int? WholeNumber(string[]? values, int fallback, int min, int? capAt = null)
    {
        if (values?.LastOrDefault() is not { } raw)
        {
            return fallback;
        }

        var digits = raw.Length > 0 && raw.All(char.IsAsciiDigit);
        var parsed = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        if (digits && !parsed && capAt is { } cap)
        {
            return cap; // too many digits for an int, so above any cap
        }

        return !parsed || value < min ? null : capAt is { } limit ? Math.Min(value, limit) : value;
    }
}
