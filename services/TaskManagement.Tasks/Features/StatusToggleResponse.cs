using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

public sealed record StatusToggleResponse(string Message, TaskItemStatus Status);
