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

    /// <summary>
    /// Reads a JSON merge patch (RFC 7396). Member presence matters, so the body is read as a document:
    /// absent = unchanged, null = cleared (description, dueDate only), unknown members are refused.
    /// </summary>
    public static async Task<(TaskChange Change, ValidationErrors Errors)> ReadMergePatchAsync(HttpRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var empty = new TaskChange(null, null, false, null, null, null, false);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            errors.Add("body", "The request body is not valid JSON.");
            return (empty, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body", "The request body must be a JSON object.");
                return (empty, errors);
            }

            var change = empty;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var value = member.Value;
                switch (member.Name)
                {
                    case "title":
                        change = change with { Title = TaskRules.Title(value.ValueKind == JsonValueKind.String ? value.GetString() : null, errors) };
                        break;
                    case "description" when value.ValueKind is JsonValueKind.Null or JsonValueKind.String:
                        change = change with { Description = TaskRules.Description(value.GetString(), errors), SetsDescription = true };
                        break;
                    case "priority" when Wire.TryParse(value.ValueKind == JsonValueKind.String ? value.GetString() : null, out TaskItemPriority priority):
                        change = change with { Priority = priority };
                        break;
                    case "status" when Wire.TryParse(value.ValueKind == JsonValueKind.String ? value.GetString() : null, out TaskItemStatus status):
                        change = change with { Status = status };
                        break;
                    case "dueDate" when value.ValueKind == JsonValueKind.Null:
                        change = change with { DueDate = null, SetsDueDate = true };
                        break;
                    case "dueDate" when value.ValueKind == JsonValueKind.String
                        && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due):
                        change = change with { DueDate = due, SetsDueDate = true };
                        break;
                    case "priority":
                        errors.Add("priority", "Priority must be low, medium or high.");
                        break;
                    case "status":
                        errors.Add("status", "Status must be pending, in_progress or completed.");
                        break;
                    case "description":
                        errors.Add("description", "Description must be a string or null.");
                        break;
                    case "dueDate":
                        errors.Add("dueDate", "Due date must be a date (YYYY-MM-DD) or null.");
                        break;
                    default:
                        errors.Add(member.Name, $"'{member.Name}' is not a known field. Known fields: {string.Join(", ", Fields)}.");
                        break;
                }
            }

            return (change, errors);
        }
    }
}
