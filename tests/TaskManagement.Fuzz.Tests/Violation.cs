namespace TaskManagement.Fuzz.Tests;

/// <summary>A rule one answer broke: <see cref="Kind"/> groups the report, <see cref="Detail"/> explains this case.</summary>
public sealed record Violation(string Kind, string Detail);
