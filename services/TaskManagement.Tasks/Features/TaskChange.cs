using System.Globalization;
using System.Text.Json;
using TaskManagement.ServiceDefaults.Http;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>The fields a PUT, PATCH or toggle sets; null title/priority/status mean "leave as is".</summary>
public sealed record TaskChange(
    string? Title, string? Description, bool SetsDescription, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate, bool SetsDueDate)
{
    private static readonly string[] Fields = ["title", "description", "priority", "status", "dueDate"];

    private static readonly TaskChange None = new(null, null, false, null, null, null, false);

    /// <summary>
    /// Reads a JSON merge patch (RFC 7396). Member presence matters, so the body is read as a document:
    /// absent = unchanged, null = cleared (description, dueDate only), unknown members are refused.
    /// </summary>
    public static Task<(TaskChange Change, ValidationErrors Errors)> ReadMergePatchAsync(HttpRequest request, CancellationToken ct) =>
        ReadAsync(request, requireTitle: false, ct);

    /// <summary>
    /// Reads a PUT body: the merge patch's rules with <c>title</c> required. Like the original API, an absent
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
            return (None, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body", "The request body must be a JSON object.");
                return (None, errors);
            }

            var change = None;
            var hasTitle = false;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                // The parser checks structure, not text: invalid UTF-8 or a lone surrogate escape only fails on decoding.
                if (!TryDecode(() => member.Name, out var name))
                {
                    errors.Add("body", "A member name is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
                    continue;
                }

                var field = Array.Find(Fields, f => f.Equals(name, StringComparison.OrdinalIgnoreCase));
                var value = member.Value;
                if (field is null)
                {
                    errors.Add(name!, $"'{name}' is not a known field. Known fields: {string.Join(", ", Fields)}.");
                    continue;
                }

                string? text = null;
                if (value.ValueKind == JsonValueKind.String && !TryDecode(value.GetString, out text))
                {
                    errors.Add(field, $"The value of '{field}' is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
                    continue;
                }

                var isText = value.ValueKind == JsonValueKind.String;
                var isNull = value.ValueKind == JsonValueKind.Null;
                switch (field)
                {
                    case "title" when !isText && !isNull:
                        hasTitle = true;
                        errors.Add("title", "Title must be a string.");
                        break;
                    case "title":
                        hasTitle = true;
                        change = change with { Title = TaskRules.Title(text, errors) };
                        break;
                    case "description" when isText || isNull:
                        change = change with { Description = TaskRules.Description(text, errors), SetsDescription = true };
                        break;
                    case "description":
                        errors.Add("description", "Description must be a string or null.");
                        break;
                    case "priority" when Wire.TryParse(text, out TaskItemPriority priority):
                        change = change with { Priority = priority };
                        break;
                    case "priority":
                        errors.Add("priority", "Priority must be low, medium or high.");
                        break;
                    case "status" when Wire.TryParse(text, out TaskItemStatus status):
                        change = change with { Status = status };
                        break;
                    case "status":
                        errors.Add("status", "Status must be pending, in_progress or completed.");
                        break;
                    case "dueDate" when isNull:
                        change = change with { DueDate = null, SetsDueDate = true };
                        break;
                    case "dueDate" when isText && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due):
                        change = change with { DueDate = due, SetsDueDate = true };
                        break;
                    case "dueDate":
                        errors.Add("dueDate", "Due date must be a date (YYYY-MM-DD) or null.");
                        break;
                }
            }

            errors.AddIf(requireTitle && !hasTitle, "title", "Title is required and cannot be blank.");
            return (change, errors);
        }
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
}
