namespace TaskManagement.Contracts;

/// <summary>CloudEvent <c>type</c> values: reverse-DNS prefix, event name, schema version.</summary>
public static class EventTypes
{
    public const string Prefix = "com.taskmanagement.";

    public const string UserRegistered = Prefix + "user.registered.v1";
    public const string UserDeleted = Prefix + "user.deleted.v1";
    public const string UserCredentialsChanged = Prefix + "user.credentials_changed.v1";
    public const string TaskCreated = Prefix + "task.created.v1";
    public const string TaskUpdated = Prefix + "task.updated.v1";
    public const string TaskCompleted = Prefix + "task.completed.v1";
    public const string TaskDeleted = Prefix + "task.deleted.v1";

    /// <summary>The topic each event type is published on.</summary>
    public static string TopicOf(string eventType) => eventType switch
    {
        UserRegistered or UserDeleted or UserCredentialsChanged => Topics.Users,
        TaskCreated or TaskUpdated or TaskCompleted or TaskDeleted => Topics.Tasks,
        _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Unknown event type."),
    };
}
