using System.Collections.Concurrent;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Tasks.Revocation;

/// <summary>
/// This replica's in-memory copy of <c>token_revocations</c>, checked on every request (no database or Auth
/// call per request). Filled by <see cref="RevocationRefresher"/> from the shared table and, on the replica
/// that consumes an event, at once by the handler. Entries only ever tighten (later not-before, deleted).
/// </summary>
public sealed class RevocationSnapshot : ITokenRevocation
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => _entries.Count;

    /// <summary>Completed once the table has been read; until then requests wait (fail closed, not open).</summary>
    public Task Loaded => _loaded.Task;

    public async ValueTask<bool> IsRevokedAsync(Guid userId, DateTimeOffset issuedAt, HttpContext http, CancellationToken cancellationToken)
    {
        if (!_loaded.Task.IsCompleted)
        {
            await _loaded.Task.WaitAsync(cancellationToken);
        }

        return IsRevoked(userId, issuedAt);
    }

    public bool IsRevoked(Guid userId, DateTimeOffset issuedAt) =>
        _entries.TryGetValue(userId, out var entry) && (entry.Deleted || issuedAt < entry.NotBefore);

    public void Apply(Guid userId, DateTimeOffset notBefore, bool deleted) =>
        _entries.AddOrUpdate(
            userId,
            _ => new Entry(notBefore, deleted),
            (_, current) => new Entry(notBefore > current.NotBefore ? notBefore : current.NotBefore, deleted || current.Deleted));

    internal void MarkLoaded() => _loaded.TrySetResult();

    /// <summary>Drops entries no unexpired token can be affected by any more.</summary>
    internal void Prune(DateTimeOffset olderThan)
    {
        foreach (var (userId, entry) in _entries)
        {
            if (entry.NotBefore < olderThan)
            {
                _entries.TryRemove(new KeyValuePair<Guid, Entry>(userId, entry));
            }
        }
    }

    private sealed record Entry(DateTimeOffset NotBefore, bool Deleted);
}
