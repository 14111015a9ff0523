using System.Text.Json;

namespace TaskManagement.Manifests.Tests.Infrastructure;

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
