namespace TaskManagement.Tasks.Features;

public sealed record TaskSummaryResponse(int Total, StatusCounts ByStatus, PriorityCounts ByPriority, int Overdue, double CompletionRate);
