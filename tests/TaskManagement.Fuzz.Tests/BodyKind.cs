namespace TaskManagement.Fuzz.Tests;

/// <summary>What a request body of a route looks like when it is valid.</summary>
public enum BodyKind
{
    None,
    Register,
    Login,
    PasswordChange,
    TaskCreate,
    TaskReplace,
    TaskPatch,
}
