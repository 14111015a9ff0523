namespace TaskManagement.Eventing;

/// <summary>The message is not a usable CloudEvent; retrying cannot help, so it is dead-lettered.</summary>
public sealed class MalformedEventException : Exception
{
    public MalformedEventException()
    {
    }

    public MalformedEventException(string message)
        : base(message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
