namespace TaskManagement.Fuzz.Tests;

/// <summary>What came back for one case, with the request as it was sent.</summary>
public sealed record Outcome(byte[] Request, byte[] Shown, RawResponse? Response, string? NoAnswer, string? DatabaseChange, bool HalfClosed);
