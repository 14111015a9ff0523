namespace TaskManagement.Eventing;

/// <summary>The CloudEvent attributes of a received event (its <c>data</c> is the typed record handed beside it).</summary>
public sealed record EventEnvelope(string Id, string Type, string Source, string? Subject, DateTimeOffset? Time);
