using System.ComponentModel.DataAnnotations;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// POST's body. The attributes are the task's field rules: the built-in validation applies them to this body, and
/// <see cref="TaskChangeReader"/> applies the same ones (<see cref="TaskManagement.ServiceDefaults.Http.DeclaredRules"/>)
/// to the members of a PUT or PATCH. Texts are checked as they are stored, trimmed.
/// </summary>
public sealed record CreateTaskRequest
{
    [Required(ErrorMessage = "Title is required and cannot be blank.")]
    [TrimmedMaxLength(TaskItem.TitleMaxLength, ErrorMessage = "Title must be at most {1} characters.")]
    [VisibleText(AllowLayout = false, ErrorMessage = "Title cannot contain control characters, line breaks or invisible characters (zero-width spaces, joiners, direction marks, byte order marks).")]
    public string? Title { get; init; }

    [TrimmedMaxLength(TaskItem.DescriptionMaxLength, ErrorMessage = "Description must be at most {1} characters.")]
    [VisibleText(AllowLayout = true, ErrorMessage = "Description cannot contain control characters other than tab and line breaks.")]
    public string? Description { get; init; }

    public TaskItemPriority? Priority { get; init; }

    public TaskItemStatus? Status { get; init; }

    public DateOnly? DueDate { get; init; }
}
