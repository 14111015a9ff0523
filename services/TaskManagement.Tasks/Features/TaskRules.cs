using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Tasks.Features;

/// <summary>The field rules of a task, shared by create, replace and patch.</summary>
public static class TaskRules
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;

    /// <summary>Trims the title and checks it; returns the trimmed value.</summary>
    public static string? Title(string? title, ValidationErrors errors)
    {
        var trimmed = title?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add("title", "Title is required and cannot be blank.");
            return null;
        }

        errors.AddIf(trimmed.Length > TitleMaxLength, "title", $"Title must be at most {TitleMaxLength} characters.");
        return trimmed;
    }

    /// <summary>Trims the description; an empty one becomes null.</summary>
    public static string? Description(string? description, ValidationErrors errors)
    {
        var trimmed = description?.Trim();
        errors.AddIf(trimmed?.Length > DescriptionMaxLength, "description", $"Description must be at most {DescriptionMaxLength} characters.");
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
