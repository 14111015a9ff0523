using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskManagement.Eventing;

/// <summary>Meter <c>TaskManagement.Events</c>: the outbox backlog and what flows in and out.</summary>
public sealed class EventMetrics
{
    public const string MeterName = "TaskManagement.Events";

    /// <summary>Spans for publishing (relay) and consuming (inbox), named like the meter.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _ignored;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _pruned;
    private long _backlog;
    private double _oldestAgeSeconds;

    public EventMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("taskmanagement.outbox.backlog", () => Volatile.Read(ref _backlog), "{event}", "Outbox rows not yet published.");
        meter.CreateObservableGauge("taskmanagement.outbox.oldest_age", () => Volatile.Read(ref _oldestAgeSeconds), "s", "Age of the oldest unpublished outbox row.");
        _published = meter.CreateCounter<long>("taskmanagement.events.published", "{event}", "Events the broker (or sidecar) accepted.");
        _publishFailures = meter.CreateCounter<long>("taskmanagement.events.publish_failures", "{event}", "Publish attempts that failed and will be retried.");
        _consumed = meter.CreateCounter<long>("taskmanagement.events.consumed", "{event}", "Events handled and recorded in the inbox.");
        _duplicates = meter.CreateCounter<long>("taskmanagement.events.duplicates", "{event}", "Redelivered events skipped by the inbox.");
        _ignored = meter.CreateCounter<long>("taskmanagement.events.ignored", "{event}", "Events of types no handler wants, acknowledged.");
        _deadLettered = meter.CreateCounter<long>("taskmanagement.events.dead_lettered", "{event}", "Malformed or repeatedly failing messages sent to the dead-letter queue.");
        _pruned = meter.CreateCounter<long>("taskmanagement.outbox.pruned", "{event}", "Published rows deleted after the retention period.");
    }

    public void Published(string type) => _published.Add(1, Tag("type", type));

    public void PublishFailed(string type) => _publishFailures.Add(1, Tag("type", type));

    public void Consumed(string type) => _consumed.Add(1, Tag("type", type));

    public void Duplicate(string type) => _duplicates.Add(1, Tag("type", type));

    public void Ignored(string type) => _ignored.Add(1, Tag("type", type));

    /// <summary>reason: malformed or retries_exhausted.</summary>
    public void DeadLettered(string topic, string reason) => _deadLettered.Add(1, Tag("topic", topic), Tag("reason", reason));

    public void Pruned(long count) => _pruned.Add(count);

    public void SetBacklog(long count, TimeSpan oldestAge)
    {
        Volatile.Write(ref _backlog, count);
        Volatile.Write(ref _oldestAgeSeconds, Math.Max(0, oldestAge.TotalSeconds));
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
