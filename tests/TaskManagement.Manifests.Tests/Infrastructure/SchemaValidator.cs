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
            !allowed.EnumerateArray().Any(a => string.Equals(Text(a), value.Str(), StringComparison.Ordinal)))
        {
            errors.Add($"{path}: '{value.Str()}' is not one of {allowed}");
        }

        if (schema.TryGetProperty("const", out var constant) && !string.Equals(Text(constant), value.Str(), StringComparison.Ordinal))
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
        _ => $"{value.GetType().Name} {value.Str()}",
    };

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };
}
