namespace TaskManagement.Eventing;

/// <summary>The relay's latest publish outcome, shared with the readiness check.</summary>
public sealed class PublishStatus
{
    private string? _lastError;
    private DateTimeOffset? _failingSince;

    public void Succeeded()
    {
        _lastError = null;
        _failingSince = null;
    }

    public void Failed(string error)
    {
        _lastError = error;
        _failingSince ??= DateTimeOffset.UtcNow;
    }

    public (string? Error, DateTimeOffset? Since) Current => (_lastError, _failingSince);
}
