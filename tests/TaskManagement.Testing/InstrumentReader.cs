using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.Testing;

/// <summary>
/// The measurements of one instrument of one service host, read from that host's own meter factory: the exporter
/// behind /metrics merges every host of the test process (test classes run in parallel), so a test that counts
/// reads its host directly.
/// </summary>
public sealed class InstrumentReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public InstrumentReader(IServiceProvider services, string instrument)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (ReferenceEquals(published.Meter.Scope, factory) && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        _listener.Start();
    }

    /// <summary>The values measured so far, in order; only those tagged <paramref name="tag"/> = <paramref name="value"/> when given.</summary>
    public IReadOnlyList<double> Values(string? tag = null, string? value = null) =>
        [.. _measurements.Where(m => tag is null || (m.Tags.TryGetValue(tag, out var v) && v == value)).Select(m => m.Value)];

    public double Sum(string? tag = null, string? value = null) => Values(tag, value).Sum();

    /// <summary>The sums per value of <paramref name="tag"/>, e.g. <c>invalid_credentials=1, success=1</c>; a mislabelled count shows up here.</summary>
    public string SumsBy(string tag) => string.Join(", ", _measurements
        .GroupBy(m => m.Tags.GetValueOrDefault(tag) ?? "", StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}={g.Sum(m => m.Value)}")));

    public void Dispose() => _listener.Dispose();

    private void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = Convert.ToString(tagValue, CultureInfo.InvariantCulture);
        }

        _measurements.Enqueue((value, copy));
    }
}
