namespace TaskManagement.Events.Tests;

/// <summary>Waits for something a background loop does (a relay round, a consumer's count) without a fixed sleep.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 50 ms; fails the test when it is still false after <paramref name="timeout"/> (10 s).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The condition was not met within {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(50);
        }
    }
}
