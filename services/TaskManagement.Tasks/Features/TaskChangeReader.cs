using System.Globalization;
using System.Text.Json;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// Reads a PUT or PATCH body into a <see cref="TaskChange"/>. Member presence matters (absent = unchanged, null =
/// cleared), which a bound record cannot see, so the body is read as a document and each member is checked with
/// <see cref="CreateTaskRequest"/>'s declared rules; unknown members are refused.
/// </summary>
public static class TaskChangeReader
{
    private static readonly string[] Fields = typeof(CreateTaskRequest).GetProperties()
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    /// <summary>A JSON merge patch (RFC 7396): any subset of the fields; null clears description and dueDate only.</summary>
    public static Task<(TaskChange Change, ValidationErrors Errors)> ReadMergePatchAsync(HttpRequest request, CancellationToken ct) =>
        ReadAsync(request, requireTitle: false, ct);

    /// <summary>
    /// A PUT body: the merge patch's rules with <c>title</c> required. Like the original API, an absent
    /// <c>priority</c>, <c>status</c>, <c>description</c> or <c>dueDate</c> keeps the current value, so its UI's
    /// edit form (<c>{title, description, priority}</c>) works unchanged.
    /// </summary>
    public static Task<(TaskChange Change, ValidationErrors Errors)> ReadReplacementAsync(HttpRequest request, CancellationToken ct) =>
        ReadAsync(request, requireTitle: true, ct);

    private static async Task<(TaskChange Change, ValidationErrors Errors)> ReadAsync(HttpRequest request, bool requireTitle, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            errors.Add("body", "The request body is not valid JSON.");
            return (TaskChange.None, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body", "The request body must be a JSON object.");
                return (TaskChange.None, errors);
            }

            var change = TaskChange.None;
            var hasTitle = false;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                // A refused member has recorded its error; a known one is applied. (No `continue` with the pattern
                // variable after it: Stryker's mutant removing the `continue` would not compile, and its safe mode
                // would then drop every mutant of this method.)
                if (ReadMember(member, errors) is { } field)
                {
                    hasTitle |= field.Name == "title";
                    change = Apply(change, field, errors);
                }
            }

            errors.AddIf(requireTitle && !hasTitle, "title", "Title is required and cannot be blank.");
            return (change, errors);
        }
    }

    /// <summary>The member as a known field with its decoded text, or null after recording why it is refused.</summary>
    private static Member? ReadMember(JsonProperty member, ValidationErrors errors)
    {
        // The parser checks structure, not text: invalid UTF-8 or a lone surrogate escape only fails on decoding.
        if (!TryDecode(() => member.Name, out var name))
        {
            errors.Add("body", "A member name is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
            return null;
        }

        var field = Array.Find(Fields, f => f.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (field is null)
        {
            errors.Add(name!, $"'{name}' is not a known field. Known fields: {string.Join(", ", Fields)}.");
            return null;
        }

        var value = member.Value;
        string? text = null;
        if (value.ValueKind == JsonValueKind.String && !TryDecode(value.GetString, out text))
        {
            errors.Add(field, $"The value of '{field}' is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
            return null;
        }

        return new Member(field, value.ValueKind, text);
    }

    private static TaskChange Apply(TaskChange change, Member field, ValidationErrors errors)
    {
        switch (field.Name)
        {
            case "title" when !field.IsText && !field.IsNull:
                errors.Add("title", "Title must be a string.");
                return change;
            case "title":
                return Checked(nameof(CreateTaskRequest.Title), field, errors) ? change with { Title = TaskItem.NormalizeTitle(field.Text!) } : change;
            case "description" when field.IsText || field.IsNull:
                return Checked(nameof(CreateTaskRequest.Description), field, errors)
                    ? change with { Description = TaskItem.NormalizeDescription(field.Text), SetsDescription = true }
                    : change;
            case "description":
                errors.Add("description", "Description must be a string or null.");
                return change;
            case "priority":
                return ReadEnum(field, errors, out TaskItemPriority priority) ? change with { Priority = priority } : change;
            case "status":
                return ReadEnum(field, errors, out TaskItemStatus status) ? change with { Status = status } : change;
            case "dueDate" when field.IsNull:
                return change with { DueDate = null, SetsDueDate = true };
            case "dueDate" when field.IsText && DateOnly.TryParseExact(field.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due):
                return change with { DueDate = due, SetsDueDate = true };
            default: // dueDate
                errors.Add("dueDate", "Due date must be a date (YYYY-MM-DD) or null.");
                return change;
        }
    }

    private static bool Checked(string property, Member field, ValidationErrors errors) =>
        DeclaredRules.Check<CreateTaskRequest>(property, field.Text, field.Name, errors);

    /// <summary>priority and status: one of the wire names (the message lists them), never null.</summary>
    private static bool ReadEnum<TEnum>(Member field, ValidationErrors errors, out TEnum value)
        where TEnum : struct, Enum
    {
        var known = Wire.TryParse(field.Text, out value);
        errors.AddIf(!known, field.Name, $"{char.ToUpperInvariant(field.Name[0])}{field.Name[1..]} must be {Wire.Choices<TEnum>()}.");
        return known;
    }

    private static bool TryDecode(Func<string?> read, out string? text)
    {
        try
        {
            text = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private sealed record Member(string Name, JsonValueKind Kind, string? Text)
    {
        public bool IsText => Kind == JsonValueKind.String;

        public bool IsNull => Kind == JsonValueKind.Null;
    }
}
