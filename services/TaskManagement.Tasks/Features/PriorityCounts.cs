namespace TaskManagement.Tasks.Features;

public sealed record PriorityCounts(int Low, int Medium, int High);
