using System.Text.Json;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>
/// Structural validation of everything rendered against the vendored upstream schemas (Schemas/, see SOURCES.md):
/// Kubernetes 1.30 OpenAPI, Istio 1.30.3 / Dapr v1.18.3 / prometheus-operator / Flux v2.9 CRDs, the IstioOperator,
/// the Dapr run-file schema and the compose spec.
/// </summary>
public sealed class SchemaValidationTests
{
    public static TheoryData<string> Renderable => new()
    {
        "k8s/base", "k8s/overlays/local", "k8s/overlays/production", "istio", "components", "k8s/flux", "k8s/flux/infra",
    };

    [Theory]
    [MemberData(nameof(Renderable))]
    public void Rendered_resources_are_known_kinds_and_valid_against_their_schemas(string dir)
    {
        var errors = ValidateAgainstSchemas(Kustomize.Render(dir));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    internal static List<string> ValidateAgainstSchemas(IEnumerable<Dictionary<string, object?>> docs)
    {
        var schemas = Schemas.Load();
        var errors = new List<string>();
        foreach (var doc in docs)
        {
            var apiVersion = doc.Str("apiVersion") ?? string.Empty;
            var kind = doc.Kind();
            var where = $"{kind}/{doc.Name()}";
            if (!schemas.TryGetRoot(apiVersion, kind, out var schema))
            {
                errors.Add(schemas.IsServedBuiltin(apiVersion, kind)
                    ? $"{where}: served by Kubernetes 1.30 but no bundled schema (add it to the schema set)"
                    : $"{where}: {apiVersion} {kind} is not a known kind");
                continue;
            }

            // CRD schemas (Istio, Dapr, prometheus-operator, Flux) describe only the body; the envelope is ObjectMeta.
            var body = doc;
            if (schemas.IsCustomResource(apiVersion, kind) || !schema.TryGetProperty("properties", out var props) || !props.TryGetProperty("metadata", out _))
            {
                body = doc.Where(kv => kv.Key is not ("apiVersion" or "kind" or "metadata")).ToDictionary(StringComparer.Ordinal);
                errors.AddRange(schemas.K8sValidator.Validate(doc.At("metadata"), schemas.ResolveK8s("k8s:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "metadata")
                    .Select(e => $"{where}: {e}"));
            }

            errors.AddRange(schemas.K8sValidator.Validate(body, schema).Select(e => $"{where}: {e}"));
        }

        return errors;
    }

    [Fact]
    public void Vendored_schemas_are_exactly_the_files_sources_md_names()
    {
        // The repository is self-contained: nothing is read from outside it, every vendored file has a source entry.
        var sources = File.ReadAllText(Path.Combine(Repo.Schemas, "SOURCES.md"));
        var files = Directory.GetFiles(Repo.Schemas, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Schemas, f).Replace('\\', '/'))
            .Where(f => f != "SOURCES.md").ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains($"`{f}`", sources, StringComparison.Ordinal));
        Assert.Contains("Apache-2.0", sources, StringComparison.Ordinal);
        var testSources = Directory.GetFiles(Repo.PathOf("tests", "TaskManagement.Manifests.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
        Assert.All(testSources, f => Assert.DoesNotContain("\"shared\"", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public void Istio_operator_matches_the_istioctl_schema()
    {
        var schemas = Schemas.Load();
        var root = Schemas.ReadJson("istio", "1.30.3", "istiooperator.schema.json");
        var errors = schemas.FileValidator(root).Validate(IstioManifestTests.IstioOperator(), root)
            .Concat(schemas.FileValidator(root).Validate(ClusterDeploymentTests.AwsIstioOperator(), root).Select(e => "aws: " + e)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Dapr_run_file_keys_are_known_to_the_dapr_cli()
    {
        var root = Schemas.ReadJson("dapr", "cli-v1.18.0", "run-file.schema.json");
        var runFile = YamlModel.LoadSingle("dapr.yaml");
        var errors = Schemas.Load().FileValidator(root).Validate(runFile, root);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Compose_file_uses_only_compose_spec_keys()
    {
        var root = Schemas.ReadJson("compose-spec", "compose-spec.json");
        var compose = YamlModel.LoadSingle("docker-compose.yml");
        var topLevel = root.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var serviceKeys = root.GetProperty("definitions").GetProperty("service").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var healthKeys = root.GetProperty("definitions").GetProperty("healthcheck").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var configKeys = root.GetProperty("definitions").GetProperty("config").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var secretKeys = root.GetProperty("definitions").GetProperty("secret").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("version", compose.Keys);   // obsolete
        Assert.All(compose.Keys, k => Assert.True(topLevel.Contains(k) || k.StartsWith("x-", StringComparison.Ordinal), $"unknown top-level key {k}"));
        foreach (var (name, service) in compose.Map("services"))
        {
            Assert.All(service.Map().Keys, k => Assert.True(serviceKeys.Contains(k), $"service {name}: unknown key {k}"));
            Assert.All(service.Map("healthcheck").Keys, k => Assert.True(healthKeys.Contains(k), $"service {name}: unknown healthcheck key {k}"));
            Assert.All(service.Maps("depends_on").ToList(), _ => { });
        }

        Assert.All(compose.Map("configs"), c => Assert.All(c.Value.Map().Keys, k => Assert.Contains(k, configKeys)));
        Assert.All(compose.Map("secrets"), s => Assert.All(s.Value.Map().Keys, k => Assert.Contains(k, secretKeys)));
    }

    [Fact]
    public void Validator_rejects_unknown_fields_and_wrong_types()
    {
        // Guard for the guard: the validator must be able to fail.
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"object","additionalProperties":{"type":"string"}}},"required":["a"]}""");
        var validator = new SchemaValidator(_ => throw new InvalidOperationException());
        var bad = YamlModel.LoadAll("a: \"1\"\nb: {x: true}\nc: 1\n").Single();
        var errors = validator.Validate(bad, schema.RootElement);
        Assert.Equal(3, errors.Count);
        Assert.Empty(validator.Validate(YamlModel.LoadAll("a: 1\nb: {x: \"y\"}\n").Single(), schema.RootElement));
    }
}
