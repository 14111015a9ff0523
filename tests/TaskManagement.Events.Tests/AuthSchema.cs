namespace TaskManagement.Events.Tests;

/// <summary>Gives a test database Auth's schema (outbox included) with no relay running, for tests that fill the outbox by hand.</summary>
internal static class AuthSchema
{
    /// <summary>Starts Auth once with the event transport off (it migrates at startup), then stops it.</summary>
    public static async Task MigrateAsync(TestDatabase db)
    {
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?> { ["Events:Transport"] = "none" }).Start();
    }
}
