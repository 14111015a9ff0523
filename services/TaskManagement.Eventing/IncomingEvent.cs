namespace TaskManagement.Eventing;

/// <summary>A parsed inbound event plus the trace context it carries (to continue the producer's trace).</summary>
public sealed record IncomingEvent(ReceivedEvent Event, string? TraceParent, string? TraceState);
