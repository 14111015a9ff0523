using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>
/// YAML as plain objects: Dictionary&lt;string, object?&gt;, List&lt;object?&gt;, and typed scalars (plain scalars
/// become long/double/bool/null as YAML 1.2 core schema says; quoted ones stay strings), so schema
/// type checks see what Kubernetes would see. Merge keys (&lt;&lt;) are expanded.
/// </summary>
internal static partial class YamlModel
{
    public static List<Dictionary<string, object?>> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        var result = new List<Dictionary<string, object?>>();
        foreach (var doc in stream.Documents)
        {
            if (Convert(doc.RootNode) is Dictionary<string, object?> map)
            {
                result.Add(map);
            }
        }

        return result;
    }

    public static List<Dictionary<string, object?>> LoadFile(params string[] parts) => LoadAll(Repo.ReadText(parts));

    public static Dictionary<string, object?> LoadSingle(params string[] parts) => Assert.Single(LoadFile(parts));

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty, kv => Convert(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode sc => Scalar(sc),
        _ => null,
    };

    private static object? Scalar(YamlScalarNode node)
    {
        var v = node.Value ?? string.Empty;
        if (node.Style != ScalarStyle.Plain)
        {
            return v;
        }

        if (v.Length == 0 || v == "~" || v == "null" || v == "Null" || v == "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (v is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (IntPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return v;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

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
