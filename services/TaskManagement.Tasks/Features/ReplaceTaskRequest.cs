using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// PUT's body as documented: title required; an absent priority, status, description or dueDate keeps the current
/// value (the original API's rule), null clears description and dueDate. Read by <see cref="TaskChangeReader"/>, which
/// sees presence, and checked with <see cref="CreateTaskRequest"/>'s rules.
/// </summary>
public sealed record ReplaceTaskRequest(string? Title, string? Description, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate);
