namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>One build stage: its name (or index), the raw FROM argument and its text up to the next FROM.</summary>
internal sealed record DockerStage(string Name, string From, string Text);
