namespace TaskManagement.Bench.Baseline;

/// <summary>Events received for one user and their commit-to-delivery times in milliseconds.</summary>
public sealed record ProbeStats(int Events, double P50Ms, double P99Ms, double MaxMs);
