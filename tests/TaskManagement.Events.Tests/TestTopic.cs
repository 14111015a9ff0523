namespace TaskManagement.Events.Tests;

/// <summary>Topic names of one test's own, so tests on the shared broker never see each other's events.</summary>
internal static class TestTopic
{
    public static string NewName() => $"evtest-{Guid.NewGuid():N}"[..20];
}
