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
/// <param name="Status">Any of these statuses (repeatable).</param>
/// <param name="Priority">Any of these priorities (repeatable).</param>
/// <param name="Q">Text in the title or description.</param>
/// <param name="Sort">A <see cref="TaskSort"/> key; default -created.</param>
/// <param name="Limit">Page size, 1 or more (default 50); larger pages are capped at 200, like the original API.</param>
/// <param name="Offset">Tasks to skip.</param>
public sealed record TaskListQuery(
    [FromQuery(Name = "status")] string[]? Status,
    [FromQuery(Name = "priority")] string[]? Priority,
    [FromQuery(Name = "q")] string[]? Q,
    [FromQuery(Name = "sort")] string[]? Sort,
    [FromQuery(Name = "limit")] string[]? Limit,
    [FromQuery(Name = "offset")] string[]? Offset) : IValidatableObject
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

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
