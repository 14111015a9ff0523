using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>
/// A small JSON-Schema subset validator (type, properties, required, additionalProperties,
/// patternProperties, items, enum, const, $ref, allOf/anyOf/oneOf/not, Kubernetes' preserve-unknown-fields
/// and int-or-string). Objects that declare <c>properties</c> are closed, as kubectl's strict field
/// validation and istioctl treat them, unless the schema says otherwise.
/// </summary>
internal sealed class SchemaValidator(Func<string, JsonElement> resolveRef)
{
    public List<string> Validate(object? value, JsonElement schema, string path = "")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    private void Check(object? value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, resolveRef(reference.GetString()!), path, errors);
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var s in allOf.EnumerateArray())
            {
                Check(value, s, path, errors);
            }
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches))
            {
                var branchErrors = branches.EnumerateArray().Select(b => Validate(value, b, path)).ToList();
                if (branchErrors.TrueForAll(e => e.Count > 0))
                {
                    errors.Add($"{path}: matches no {keyword} branch ({string.Join(" | ", branchErrors.Select(e => e[0]))})");
                }
            }
        }

        if (schema.TryGetProperty("not", out var not) && Validate(value, not, path).Count == 0)
        {
            errors.Add($"{path}: must not match {not}");
        }

        if (schema.TryGetProperty("enum", out var allowed) &&
            !allowed.EnumerateArray().Any(a => string.Equals(Text(a), Text(value), StringComparison.Ordinal)))
        {
            errors.Add($"{path}: '{Text(value)}' is not one of {allowed}");
        }

        if (schema.TryGetProperty("const", out var constant) && !string.Equals(Text(constant), Text(value), StringComparison.Ordinal))
        {
            errors.Add($"{path}: must be {constant}");
        }

        var intOrString = schema.TryGetProperty("x-kubernetes-int-or-string", out var ios) && ios.ValueKind == JsonValueKind.True;
        if (schema.TryGetProperty("type", out var type) && !intOrString && !TypeMatches(value, type))
        {
            errors.Add($"{path}: expected {type} but got {Describe(value)}");
            return;
        }

        if (value is Dictionary<string, object?> map)
        {
            CheckObject(map, schema, path, errors);
        }
        else if (value is List<object?> list && schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < list.Count; i++)
            {
                Check(list[i], items, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), errors);
            }
        }
    }

    private void CheckObject(Dictionary<string, object?> map, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var r in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !map.ContainsKey(r)))
            {
                errors.Add($"{path}: missing required field '{r}'");
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var preserve = schema.TryGetProperty("x-kubernetes-preserve-unknown-fields", out var p) && p.ValueKind == JsonValueKind.True;
        schema.TryGetProperty("additionalProperties", out var additional);
        schema.TryGetProperty("patternProperties", out var patterns);
        foreach (var (key, child) in map)
        {
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (hasProperties && properties.TryGetProperty(key, out var childSchema))
            {
                Check(child, childSchema, childPath, errors);
                continue;
            }

            if (patterns.ValueKind == JsonValueKind.Object)
            {
                var matched = patterns.EnumerateObject().FirstOrDefault(pp => Regex.IsMatch(key, pp.Name));
                if (matched.Value.ValueKind != JsonValueKind.Undefined)
                {
                    Check(child, matched.Value, childPath, errors);
                    continue;
                }
            }

            if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(child, additional, childPath, errors);
            }
            else if (additional.ValueKind == JsonValueKind.False || (hasProperties && !preserve && additional.ValueKind != JsonValueKind.True))
            {
                errors.Add($"{childPath}: unknown field");
            }
        }
    }

    private static bool TypeMatches(object? value, JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => TypeMatches(value, t.GetString()!))
        : TypeMatches(value, type.GetString()!);

    private static bool TypeMatches(object? value, string type) => type switch
    {
        "object" => value is Dictionary<string, object?>,
        "array" => value is List<object?>,
        "string" => value is string,
        "integer" => value is long,
        "number" => value is long or double,
        "boolean" => value is bool,
        "null" => value is null,
        _ => true,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        Dictionary<string, object?> => "object",
        List<object?> => "array",
        string s => $"string '{s}'",
        _ => $"{value.GetType().Name} {Text(value)}",
    };

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };

    private static string? Text(object? v) => v switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };
}

/// <summary>The vendored schemas (Schemas/), loaded once: Kubernetes 1.30 built-ins, Istio/Dapr/prometheus-operator/Flux CRDs.</summary>
internal sealed class Schemas
{
    private static readonly Lazy<Schemas> Instance = new(() => new Schemas());
    private readonly Dictionary<string, JsonElement> _k8sDefinitions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Version, string Kind), JsonElement> _roots = [];
    private readonly HashSet<(string Group, string Version, string Kind)> _served = [];
    private readonly HashSet<(string Group, string Version, string Kind)> _crdKinds = [];

    private Schemas()
    {
        var k8s = Path.Combine(Repo.Schemas, "kubernetes", "1.30");
        foreach (var file in Directory.GetFiles(k8s, "api*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var def in doc.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject())
            {
                var element = def.Value.Clone();
                _k8sDefinitions[def.Name] = element;
                if (element.TryGetProperty("x-kubernetes-group-version-kind", out var gvks))
                {
                    foreach (var gvk in gvks.EnumerateArray())
                    {
                        _roots[(gvk.GetProperty("group").GetString()!, gvk.GetProperty("version").GetString()!, gvk.GetProperty("kind").GetString()!)] = element;
                    }
                }
            }
        }

        using (var served = JsonDocument.Parse(File.ReadAllText(Path.Combine(k8s, "served-gvks.json"))))
        {
            foreach (var g in served.RootElement.GetProperty("served").EnumerateArray())
            {
                _served.Add((g[0].GetString()!, g[1].GetString()!, g[2].GetString()!));
            }
        }

        foreach (var crdFile in new[]
                 {
                     Path.Combine("istio", "1.30.3", "crds.json"), Path.Combine("dapr", "v1.18.3", "crds.json"),
                     Path.Combine("prometheus-operator", "v0.93.0", "crds.json"), Path.Combine("flux", "v2.9", "crds.json"),
                 })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Schemas, crdFile)));
            foreach (var crd in doc.RootElement.GetProperty("crds").EnumerateArray())
            {
                foreach (var version in crd.GetProperty("versions").EnumerateArray())
                {
                    var key = (crd.GetProperty("group").GetString()!, version.GetProperty("name").GetString()!, crd.GetProperty("kind").GetString()!);
                    _roots[key] = version.GetProperty("schema").Clone();
                    _crdKinds.Add(key);
                }
            }
        }
    }

    public static Schemas Load() => Instance.Value;

    public SchemaValidator K8sValidator { get => new(ResolveK8s); }

    public bool TryGetRoot(string apiVersion, string kind, out JsonElement schema)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var key = slash < 0 ? (string.Empty, apiVersion, kind) : (apiVersion[..slash], apiVersion[(slash + 1)..], kind);
        return _roots.TryGetValue(key, out schema);
    }

    /// <summary>CRD schemas describe metadata as a bare object at most: the envelope is checked as ObjectMeta.</summary>
    public bool IsCustomResource(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && _crdKinds.Contains((apiVersion[..slash], apiVersion[(slash + 1)..], kind));
    }

    public bool IsServedBuiltin(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var key = slash < 0 ? (string.Empty, apiVersion, kind) : (apiVersion[..slash], apiVersion[(slash + 1)..], kind);
        return _served.Contains(key);
    }

    /// <summary>Resolves "#/components/schemas/X" and "k8s:X" (IstioOperator schema) against the Kubernetes definitions.</summary>
    public JsonElement ResolveK8s(string reference)
    {
        var name = reference.StartsWith("k8s:", StringComparison.Ordinal)
            ? reference["k8s:".Length..]
            : reference[(reference.LastIndexOf('/') + 1)..];
        return _k8sDefinitions.TryGetValue(name, out var schema)
            ? schema
            : throw new InvalidOperationException("unresolved schema reference " + reference);
    }

    /// <summary>A validator for a standalone JSON schema file whose refs are JSON pointers into itself (or k8s:).</summary>
    public SchemaValidator FileValidator(JsonElement root) => new(reference =>
    {
        if (reference.StartsWith("k8s:", StringComparison.Ordinal) || reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
        {
            return ResolveK8s(reference);
        }

        var node = root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    });

    public static JsonElement ReadJson(params string[] parts)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine([Repo.Schemas, .. parts])));
        return doc.RootElement.Clone();
    }
}
