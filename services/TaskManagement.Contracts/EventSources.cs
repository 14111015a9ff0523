namespace TaskManagement.Contracts;

/// <summary>CloudEvent <c>source</c> values (URI references naming the producing service).</summary>
public static class EventSources
{
    public const string Auth = "/taskmanagement/auth";
    public const string Tasks = "/taskmanagement/tasks";
}
