namespace TaskManagement.Tasks.Data;

/// <summary>
/// The fields a PUT, PATCH or toggle sets, already validated and normalised; null title/priority/status mean
/// "leave as is", and <see cref="SetsDescription"/>/<see cref="SetsDueDate"/> say whether those are set (null clears them).
/// </summary>
public sealed record TaskChange(
    string? Title, string? Description, bool SetsDescription, TaskItemPriority? Priority, TaskItemStatus? Status, DateOnly? DueDate, bool SetsDueDate)
{
    public static readonly TaskChange None = new(null, null, false, null, null, null, false);
}
