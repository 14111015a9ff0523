namespace TaskManagement.Events.Tests;

/// <summary>One request the fake sidecar received.</summary>
public sealed record SidecarRequest(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body);
