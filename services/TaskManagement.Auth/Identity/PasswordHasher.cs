using System.Diagnostics;

namespace TaskManagement.Auth.Identity;

/// <summary>BCrypt hashing with a configurable work factor (<c>Passwords:WorkFactor</c>).</summary>
public sealed class PasswordHasher
{
    private readonly int _workFactor;
    private readonly AuthMetrics _metrics;

    // Verified against when the username is unknown, so both failures cost the same time.
    private readonly string _dummyHash;

    public PasswordHasher(IConfiguration configuration, AuthMetrics metrics)
    {
        _workFactor = configuration.GetValue("Passwords:WorkFactor", 12);
        _metrics = metrics;
        _dummyHash = BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString(), _workFactor);
    }

    public Task<string> HashAsync(string password) => Measure("hash", () => BCrypt.Net.BCrypt.HashPassword(password, _workFactor));

    /// <summary>Verifies; a null hash (unknown user) is checked against the dummy hash and always fails.</summary>
    public async Task<bool> VerifyAsync(string password, string? hash)
    {
        var ok = await Measure("verify", () => BCrypt.Net.BCrypt.Verify(password, hash ?? _dummyHash));
        return ok && hash is not null;
    }

    /// <summary>True when the hash was made with a lower work factor than the configured one.</summary>
    public bool NeedsRehash(string hash) => BCrypt.Net.BCrypt.PasswordNeedsRehash(hash, _workFactor);

    // BCrypt is CPU-bound by design; running it on the pool keeps request threads free.
    private Task<T> Measure<T>(string operation, Func<T> work) => Task.Run(() =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            _metrics.RecordHashDuration(operation, Stopwatch.GetElapsedTime(started));
        }
    });
}
