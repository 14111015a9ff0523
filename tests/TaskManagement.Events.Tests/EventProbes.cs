using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskManagement.Eventing;

namespace TaskManagement.Events.Tests;

/// <summary>
/// An <see cref="EventMetrics"/> of its own (own meter factory) plus a listener that sees only its measurements,
/// so tests running in parallel never count each other's events.
/// </summary>
public sealed class MetricsProbe : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, string? Type)> _measurements = new();

    public MetricsProbe()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? type = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "type")
                {
                    type = tag.Value as string;
                }
            }

            _measurements.Enqueue((instrument.Name, value, type));
        });
        _listener.Start();
        Metrics = new EventMetrics(factory);
    }

    public EventMetrics Metrics { get; }

    /// <summary>Sum of a counter, optionally only for one event type.</summary>
    public long Sum(string instrument, string? type = null) =>
        _measurements.Where(m => m.Instrument == instrument && (type is null || m.Type == type)).Sum(m => m.Value);

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}

/// <summary>A logger that keeps what it was asked to write.</summary>
public sealed class LogRecorder<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}

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

/// <summary>Reads series from a service's Prometheus endpoint.</summary>
public static class PrometheusText
{
    /// <summary>Sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/> (all when null).</summary>
    public static async Task<double> ReadAsync(HttpClient client, string name, string? label = null)
    {
        var text = await client.GetStringAsync("/metrics");
        return Regex.Matches(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})?\s+(\S+)", RegexOptions.Multiline)
            .Where(m => label is null || m.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the series' value; returns the last value.</summary>
    public static async Task<double> WaitForAsync(HttpClient client, string name, Func<double, bool> condition, string? label = null, int seconds = 15)
    {
        var value = await ReadAsync(client, name, label);
        for (var i = 0; i < seconds * 5 && !condition(value); i++)
        {
            await Task.Delay(200);
            value = await ReadAsync(client, name, label);
        }

        Assert.True(condition(value), $"{name}{(label is null ? "" : "{" + label + "}")} = {value.ToString(CultureInfo.InvariantCulture)} did not reach the expected value within {seconds} s.");
        return value;
    }
}
