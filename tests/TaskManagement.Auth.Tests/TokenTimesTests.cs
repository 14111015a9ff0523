using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Tests;

/// <summary>
/// The whole-second edge of revocation: <c>iat</c> has second precision, the change does not. A token issued just
/// before a change (same second) must be revoked, one issued just after it (same second) must not.
/// </summary>
public sealed class TokenTimesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 400, 100, 900)] // change at .400: a token from .100 is refused, one from .900 accepted
    [InlineData(0, 0, -1, 0)] // change exactly on the second: a token from the millisecond before is refused
    [InlineData(0, 999, 998, 999)]
    public void A_token_from_just_before_a_change_is_revoked_and_one_from_just_after_is_not(int second, int changeMs, int beforeMs, int afterMs)
    {
        var changedAt = Noon.AddSeconds(second).AddMilliseconds(changeMs);
        var notBefore = TokenTimes.NotBeforeAfter(changedAt, previous: null);

        var before = TokenTimes.IssuedAt(Noon.AddMilliseconds(beforeMs), notBefore: null);
        var after = TokenTimes.IssuedAt(Noon.AddMilliseconds(afterMs), notBefore);

        Assert.Equal(0, notBefore.Millisecond);
        Assert.True(TokenTimes.IsRevoked(before, notBefore));
        Assert.False(TokenTimes.IsRevoked(after, notBefore));
        Assert.True(after - Noon.AddMilliseconds(afterMs) <= TimeSpan.FromSeconds(1), "iat is never more than a second ahead");
    }

    [Fact]
    public void A_second_change_within_the_same_second_still_revokes_the_token_issued_between_the_two()
    {
        var first = TokenTimes.NotBeforeAfter(Noon.AddMilliseconds(100), previous: null);
        var between = TokenTimes.IssuedAt(Noon.AddMilliseconds(300), first);
        var second = TokenTimes.NotBeforeAfter(Noon.AddMilliseconds(500), first);
        var afterBoth = TokenTimes.IssuedAt(Noon.AddMilliseconds(700), second);

        Assert.False(TokenTimes.IsRevoked(between, first));
        Assert.True(TokenTimes.IsRevoked(between, second));
        Assert.False(TokenTimes.IsRevoked(afterBoth, second));
    }

    [Fact]
    public void Without_a_change_nothing_is_revoked_and_iat_is_the_current_second()
    {
        var now = Noon.AddMilliseconds(750);
        Assert.Equal(Noon, TokenTimes.IssuedAt(now, notBefore: null));
        Assert.False(TokenTimes.IsRevoked(Noon, notBefore: null));
    }
}
