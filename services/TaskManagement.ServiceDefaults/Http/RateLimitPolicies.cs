namespace TaskManagement.ServiceDefaults.Http;

/// <summary>Rate-limit policy names; limits come from configuration section <c>RateLimiting:{name}</c>.</summary>
public static class RateLimitPolicies
{
    /// <summary>Per client address: every API route not covered by a stricter policy.</summary>
    public const string General = "General";

    /// <summary>Per client address: account creation.</summary>
    public const string Register = "Register";

    /// <summary>Per client address and username, checked inside the login handler (it needs the body).</summary>
    public const string Login = "Login";

    /// <summary>Per signed-in user: task creation.</summary>
    public const string TaskCreate = "TaskCreate";
}
