namespace TaskManagement.Bench.Baseline;

/// <summary>POST /insert's body: the members the benchmark sends to POST /api/tasks.</summary>
public sealed record BareTaskRequest(string Title, string? Description, string? Priority);
