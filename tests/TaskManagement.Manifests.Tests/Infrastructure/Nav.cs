using System.Globalization;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>Navigation helpers over the plain-object model.</summary>
internal static class Nav
{
    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is Dictionary<string, object?> map && map.TryGetValue(key, out var next))
            {
                node = next;
            }
            else
            {
                return null;
            }
        }

        return node;
    }

    public static Dictionary<string, object?> Map(this object? node, params string[] path) =>
        node.At(path) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);

    public static List<object?> List(this object? node, params string[] path) => node.At(path) as List<object?> ?? [];

    public static IEnumerable<Dictionary<string, object?>> Maps(this object? node, params string[] path) =>
        node.List(path).OfType<Dictionary<string, object?>>();

    public static string? Str(this object? node, params string[] path) => node.At(path) switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => o.ToString(),
    };

    public static string Kind(this Dictionary<string, object?> doc) => doc.Str("kind") ?? string.Empty;

    public static string Name(this Dictionary<string, object?> doc) => doc.Str("metadata", "name") ?? string.Empty;

    public static string? Namespace(this Dictionary<string, object?> doc) => doc.Str("metadata", "namespace");

    public static IEnumerable<Dictionary<string, object?>> OfKind(this IEnumerable<Dictionary<string, object?>> docs, string kind) =>
        docs.Where(d => d.Kind() == kind);

    public static Dictionary<string, object?> Single(this IEnumerable<Dictionary<string, object?>> docs, string kind, string name)
    {
        var found = docs.Where(d => d.Kind() == kind && d.Name() == name).ToList();
        Assert.True(found.Count == 1, $"expected exactly one {kind}/{name}, found {found.Count}");
        return found[0];
    }

    /// <summary>Pod template spec of a workload (Deployment/StatefulSet/Job) or null.</summary>
    public static Dictionary<string, object?>? PodTemplate(this Dictionary<string, object?> doc) =>
        doc.Kind() is "Deployment" or "StatefulSet" or "DaemonSet" or "Job" ? doc.Map("spec", "template") : null;
}
