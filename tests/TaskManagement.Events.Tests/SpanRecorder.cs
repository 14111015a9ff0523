using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>Records the spans of the <c>TaskManagement.Events</c> source (publish and process) as they end.</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Waits for the span that carries <c>messaging.message.id</c> = <paramref name="eventId"/>.</summary>
    public async Task<Activity> WaitForAsync(string eventId, ActivityKind kind)
    {
        for (var i = 0; i < 100; i++)
        {
            var span = _stopped.FirstOrDefault(a => a.Kind == kind && (a.GetTagItem("messaging.message.id") as string) == eventId);
            if (span is not null)
            {
                return span;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No {kind} span for event {eventId}.");
    }

    public void Dispose() => _listener.Dispose();
}
