using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Type)> _measurements = new();

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
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => _measurements.Enqueue((instrument.Name, value, null)));
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
        (long)_measurements.Where(m => m.Instrument == instrument && (type is null || m.Type == type)).Sum(m => m.Value);

    /// <summary>What an observable gauge shows now, as a scrape would read it.</summary>
    public double Gauge(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Last(m => m.Instrument == instrument).Value;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
