namespace TaskManagement.Eventing;

/// <summary>An event ready for the wire: the structured-mode CloudEvent JSON and where it goes.</summary>
public sealed record OutgoingEvent(string Topic, Guid Id, string Type, string Subject, ReadOnlyMemory<byte> Body);
