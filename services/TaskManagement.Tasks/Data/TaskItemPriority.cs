namespace TaskManagement.Tasks.Data;

/// <summary>Stored as its rank, so sorting by priority is sorting by importance.</summary>
public enum TaskItemPriority
{
    Low = 1,
    Medium = 2,
    High = 3,
}
