namespace TaskManagement.Testing;

/// <summary>One server-sent event as a client parses it (comments are kept apart, in <see cref="LiveStreamClient.Comments"/>).</summary>
public sealed record SseMessage(string? Id, string Event, string Data);
