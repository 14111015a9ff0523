namespace TaskManagement.Tasks.Data;

public enum TaskItemStatus
{
    Pending,
    InProgress,
    Completed,
}
