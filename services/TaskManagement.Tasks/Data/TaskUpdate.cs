namespace TaskManagement.Tasks.Data;

/// <summary>What <see cref="TaskItem.Update"/> changed (field names for task.updated) and whether it completed the task.</summary>
public sealed record TaskUpdate(IReadOnlyList<string> ChangedFields, bool Completed)
{
    /// <summary>What a removal returns: no field changed (task.deleted, not task.updated, is its event).</summary>
    public static readonly TaskUpdate Removed = new([], false);

    public bool Changed => ChangedFields.Count > 0;
}
