namespace TaskManagement.Eventing.Outbox;

/// <summary>
/// Lets a housekeeping step that the relay calls after every round run at most once per <c>interval</c>.
/// </summary>
internal sealed class DueSchedule(TimeSpan interval)
{
    private DateTime _nextUtc = DateTime.MinValue;

    /// <summary>True (and the next run is booked) when the interval has passed; <paramref name="nowUtc"/> is the time checked.</summary>
    public bool TryStart(out DateTime nowUtc)
    {
        nowUtc = DateTime.UtcNow;
        if (nowUtc < _nextUtc)
        {
            return false;
        }

        _nextUtc = nowUtc + interval;
        return true;
    }
}
