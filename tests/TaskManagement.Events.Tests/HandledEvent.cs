namespace TaskManagement.Events.Tests;

/// <summary>The effect a handled event leaves behind; a duplicate would leave a second row.</summary>
public sealed class HandledEvent
{
    public long Id { get; set; }

    public required string EventId { get; set; }

    public required string Type { get; set; }

    public string? Subject { get; set; }
}
