using System.Security.Cryptography;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Auth.Identity;

/// <summary>
/// BCrypt hashing with a configurable work factor (<c>Passwords:WorkFactor</c>), run through
/// <see cref="PasswordHashingCapacity"/> (<c>Passwords:HashingThreads</c>, <c>Passwords:MaxHashLatency</c>).
/// </summary>
public sealed class PasswordHasher : IWorkAdmission, IDisposable
{
    private readonly int _workFactor;
    private readonly AuthMetrics _metrics;
    private readonly PasswordHashingCapacity _capacity;

    private const string BcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // Verified against when the username is unknown, so both failures cost the same time. Checking costs what the work
    // factor in it says, whatever its digest: a fresh salt and a random digest cost nothing to make, where hashing
    // something at start took a core for a third of a second of every start-up. It never matches: the user is unknown.
    private readonly string _dummyHash;

    /// <summary>
    /// BCrypt's queue and own time for admitted work: three quarters of the second an accepted login is promised, the
    /// rest is for its lookup, token and response, which wait for CPU too while refusals are being answered.
    /// </summary>
    public static readonly TimeSpan DefaultMaxHashLatency = TimeSpan.FromMilliseconds(750);

    public PasswordHasher(IConfiguration configuration, AuthMetrics metrics)
    {
        _workFactor = configuration.GetValue("Passwords:WorkFactor", 12);
        _metrics = metrics;
        _capacity = new PasswordHashingCapacity(
            configuration.GetValue("Passwords:HashingThreads", Environment.ProcessorCount),
            configuration.GetValue("Passwords:MaxHashLatency", DefaultMaxHashLatency));
        _dummyHash = BCrypt.Net.BCrypt.GenerateSalt(_workFactor) + RandomNumberGenerator.GetString(BcryptAlphabet, 31);
    }

    /// <summary>False (and counted as shed) when BCrypt work arriving now would be refused: the request gets 503 at once.</summary>
    public bool WouldAdmit(out TimeSpan retryAfter)
    {
        if (_capacity.WouldAdmit(out retryAfter))
        {
            return true;
        }

        _metrics.HashShed("admission");
        return false;
    }

    public Task<string> HashAsync(string password) => RunAsync("hash", () => BCrypt.Net.BCrypt.HashPassword(password, _workFactor));

    /// <summary>Verifies; a null hash (unknown user) is checked against the dummy hash and always fails.</summary>
    public async Task<bool> VerifyAsync(string password, string? hash)
    {
        var against = hash ?? _dummyHash;
        var ok = await RunAsync("verify", () => BCrypt.Net.BCrypt.Verify(password, against));
        return ok && hash is not null;
    }

    /// <summary>True when the hash was made with a lower work factor than the configured one.</summary>
    public bool NeedsRehash(string hash) => BCrypt.Net.BCrypt.PasswordNeedsRehash(hash, _workFactor);

    public void Dispose() => _capacity.Dispose();

    private async Task<T> RunAsync<T>(string operation, Func<T> work)
    {
        try
        {
            return await _capacity.RunAsync(work, elapsed => _metrics.RecordHashDuration(operation, elapsed));
        }
        catch (ServiceBusyException)
        {
            _metrics.HashShed(operation);
            throw;
        }
    }
}
