namespace TaskManagement.Tasks.Data;

/// <summary>What <see cref="TaskItem.Update"/> changed (field names for task.updated) and whether it completed the task.</summary>
public sealed record TaskUpdate(IReadOnlyList<string> ChangedFields, bool Completed)
{
    public bool Changed => ChangedFields.Count > 0;
}
