using System.Globalization;
using System.Text.RegularExpressions;

namespace TaskManagement.Events.Tests;

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
