namespace TaskManagement.Fuzz.Tests;

/// <summary>Which token the request carries; resolved against the running stack when it is sent.</summary>
public enum Credential
{
    None,
    Valid,

    /// <summary>A throwaway user's valid token (for routes that would destroy the main user).</summary>
    Victim,

    /// <summary>The token of a user deleted before the run (DELETE /api/auth/me).</summary>
    Deleted,

    /// <summary>A token issued before its user changed the password.</summary>
    Stale,
    NoSub,
    NonGuidSub,
    NumericSub,
    EmptySub,
    Expired,
    NotYetValid,
    WrongAudience,
    WrongIssuer,
    ForeignKey,
    AlgNone,
    Tampered,

    /// <summary>The <see cref="FuzzCase.RawAuthorization"/> value is sent as the Authorization header.</summary>
    Raw,
}
