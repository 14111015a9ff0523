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
