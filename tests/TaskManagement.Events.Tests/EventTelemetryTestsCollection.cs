namespace TaskManagement.Events.Tests;

[CollectionDefinition(nameof(EventTelemetryTests), DisableParallelization = true)]
public sealed class EventTelemetryTestsCollection;
