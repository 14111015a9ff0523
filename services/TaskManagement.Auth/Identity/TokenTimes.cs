namespace TaskManagement.Auth.Identity;

/// <summary>
/// The whole-second arithmetic that makes revocation exact although <c>iat</c> has only second precision:
/// a change at 12:00:00.400 revokes from 12:00:01 (not-before), and every token issued after the change
/// carries <c>iat</c> ≥ 12:00:01, so one issued just before the change (iat 12:00:00) is refused and one
/// issued just after it in the same second is accepted.
/// </summary>
public static class TokenTimes
{
    /// <summary>The not-before for a change at <paramref name="changedAt"/>: the next whole second, and later than the previous one.</summary>
    public static DateTimeOffset NotBeforeAfter(DateTimeOffset changedAt, DateTimeOffset? previous)
    {
        var next = WholeSeconds(changedAt).AddSeconds(1);
        // A second change within the same second must still revoke the tokens issued between the two.
        return previous is { } earlier && earlier >= next ? WholeSeconds(earlier).AddSeconds(1) : next;
    }

    /// <summary>The <c>iat</c> of a token issued at <paramref name="now"/>: never before the user's not-before.</summary>
    public static DateTimeOffset IssuedAt(DateTimeOffset now, DateTimeOffset? notBefore)
    {
        var whole = WholeSeconds(now);
        return notBefore is { } floor && floor > whole ? floor : whole;
    }

    public static bool IsRevoked(DateTimeOffset issuedAt, DateTimeOffset? notBefore) => notBefore is { } floor && issuedAt < floor;

    public static DateTimeOffset WholeSeconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
