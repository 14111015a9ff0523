using System.Text.Json;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>components/ as used by `dapr run`, docker compose and Kubernetes.</summary>
public sealed class DaprComponentTests
{
    /// <summary>Every Dapr resource file in components/ (all modes), plus what Kubernetes renders.</summary>
    public static TheoryData<string> ComponentFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repo.PathOf("components"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Root, file));
            }
        }

        return data;
    }

    [Fact]
    public void Pubsub_declares_exchanges_and_queues_exactly_like_the_services()
    {
        // Same file for every mode; Kubernetes renders it unchanged.
        var pubsub = YamlModel.LoadSingle("components", "pubsub.yaml");
        AssertMatchesServiceDeclarations(pubsub);
        AssertMatchesServiceDeclarations(Kustomize.Render("k8s/overlays/local").Single("Component", "pubsub"));
        AssertMatchesServiceDeclarations(Kustomize.Render("k8s/overlays/production").Single("Component", "pubsub"));
    }

    [Fact]
    public void No_declarative_subscription_repeats_the_programmatic_one()
    {
        // Tasks announces its users subscription (route and dead-letter topic) on /dapr/subscribe
        // (tested in TaskManagement.Events.Tests); a second definition here could disagree with it.
        Assert.DoesNotContain(Kustomize.Render("k8s/overlays/local"), r => r.Kind() == "Subscription");
        Assert.DoesNotContain(Kustomize.Render("k8s/overlays/production"), r => r.Kind() == "Subscription");
        Assert.DoesNotContain(
            Directory.GetFiles(Path.Combine(Repo.Root, "components"), "*.yaml", SearchOption.AllDirectories),
            f => File.ReadAllText(f).Contains("kind: Subscription", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_stores_have_one_name_per_mode_local_file_for_dev_and_kubernetes_for_the_cluster()
    {
        var local = YamlModel.LoadSingle("components", "local", "secretstore.yaml");
        var compose = YamlModel.LoadSingle("components", "compose", "secretstore.yaml");
        var cluster = Kustomize.Render("k8s/overlays/local").Single("Component", "secretstore");
        Assert.Equal("secretstores.local.file", local.Str("spec", "type"));
        Assert.Equal("secretstores.local.file", compose.Str("spec", "type"));
        Assert.Equal("secretstores.kubernetes", cluster.Str("spec", "type"));
        var pubsub = YamlModel.LoadSingle("components", "pubsub.yaml");
        Assert.Equal("secretstore", pubsub.Str("auth", "secretStore"));
        Assert.All(new[] { local, compose, cluster }, s => Assert.Equal("secretstore", s.Name()));
        // The dev secrets file is git-ignored (.data/), never committed.
        var path = local.Maps("spec", "metadata").Single(m => m.Str("name") == "secretsFile").Str("value")!;
        Assert.Contains(".data/", path, StringComparison.Ordinal);
        Assert.Contains(".data/", File.ReadAllText(Repo.PathOf(".gitignore")), StringComparison.Ordinal);
    }

    [Fact]
    public void Control_plane_configuration_turns_dapr_mtls_off_because_istio_owns_it()
    {
        var config = YamlModel.LoadSingle("components", "kubernetes", "daprsystem.yaml");
        Assert.Equal("daprsystem", config.Name());
        Assert.Equal("dapr-system", config.Namespace());
        Assert.True(config.At("spec", "mtls", "enabled") is false);
        // Required by the v1.18 CRD whenever spec.mtls is present.
        Assert.False(string.IsNullOrEmpty(config.Str("spec", "mtls", "controlPlaneTrustDomain")));
        Assert.False(string.IsNullOrEmpty(config.Str("spec", "mtls", "sentryAddress")));
        // The sidecar configuration has tracing on.
        Assert.Equal("1", Kustomize.Render("k8s/overlays/local").Single("Configuration", "taskmanagement").Str("spec", "tracing", "samplingRate"));
    }

    [Theory]
    [MemberData(nameof(ComponentFiles))]
    public void Dapr_resources_pass_the_crd_rules_kubectl_enforces(string file)
    {
        foreach (var doc in YamlModel.LoadAll(File.ReadAllText(Repo.PathOf(file))))
        {
            Assert.StartsWith("dapr.io/", doc.Str("apiVersion"), StringComparison.Ordinal);
            Assert.Equal(doc.Name().ToLowerInvariant(), doc.Name());
            if (doc.Kind() == "Component")
            {
                Assert.True(doc.At("spec", "metadata") is List<object?>, $"{file}: Component needs spec.metadata (use [] when empty)");
                Assert.False(string.IsNullOrEmpty(doc.Str("spec", "version")));
            }

            if (doc.Kind() == "Configuration" && doc.At("spec", "mtls") is not null)
            {
                Assert.NotNull(doc.Str("spec", "mtls", "controlPlaneTrustDomain"));
                Assert.NotNull(doc.Str("spec", "mtls", "sentryAddress"));
            }

            if (doc.Kind() == "Resiliency")
            {
                Assert.All(doc.Map("spec", "policies", "retries").Values, r => Assert.True(r.At("maxRetries") is long n && n >= 0, $"{file}: unbounded retry"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ComponentFiles))]
    public void Component_metadata_names_exist_for_the_component_type(string file)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Schemas, "dapr", "components-contrib-v1.18.4", "component-metadata-index.json")));
        var builtin = YamlModel.LoadAll(File.ReadAllText(Path.Combine(Repo.Schemas, "dapr", "components-contrib-v1.18.4", "builtin-metadata.yaml"))).Single();
        foreach (var doc in YamlModel.LoadAll(File.ReadAllText(Repo.PathOf(file))).Where(d => d.Kind() == "Component"))
        {
            var type = doc.Str("spec", "type")!;
            var category = type[..type.IndexOf('.', StringComparison.Ordinal)];
            var name = type[(type.IndexOf('.', StringComparison.Ordinal) + 1)..];
            var entry = index.RootElement.GetProperty("components").EnumerateArray()
                .Single(c => c.GetProperty("type").GetString() == category && string.Equals(c.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase));
            var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            known.UnionWith(entry.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("name").GetString()!));
            known.UnionWith(entry.GetProperty("codeNames").EnumerateArray().Select(m => m.GetString()!));
            known.UnionWith(entry.GetProperty("authenticationProfiles").EnumerateArray()
                .SelectMany(p => p.GetProperty("metadata").EnumerateArray()).Select(m => m.GetProperty("name").GetString()!));
            known.UnionWith(builtin.Maps(category, "always").Select(m => m.Str("name")!));
            foreach (var field in doc.Maps("spec", "metadata").Select(m => m.Str("name")!))
            {
                Assert.True(known.Contains(field), $"{file}: {type} has no metadata field '{field}'");
            }

            // Deprecated or wrongly spelled keys that are silently ignored.
            var names = doc.Maps("spec", "metadata").Select(m => m.Str("name")).ToList();
            Assert.DoesNotContain("deleteWhenUnused", names);
            Assert.DoesNotContain("host", names);
            Assert.DoesNotContain("enableDeadLetter", names);
        }
    }

    [Fact]
    public void The_live_pubsub_gives_every_tasks_pod_its_own_queue_with_the_same_exchange_declarations()
    {
        var main = Metadata(YamlModel.LoadSingle("components", "pubsub.yaml"));
        foreach (var live in new[]
        {
            YamlModel.LoadSingle("components", "pubsub-live.yaml"),
            Kustomize.Render("k8s/overlays/local").Single("Component", "pubsub-live"),
            Kustomize.Render("k8s/overlays/production").Single("Component", "pubsub-live"),
        })
        {
            Assert.Equal("pubsub.rabbitmq", live.Str("spec", "type"));
            var meta = Metadata(live);
            // Queue `{podName}-tasks`: one per pod, so each pod receives every task event.
            Assert.Equal("{podName}", meta["consumerID"].Str("value"));
            // The shared `tasks` exchange is declared with exactly the main component's flags (else 406).
            foreach (var flag in new[] { "exchangeKind", "durable", "deletedWhenUnused", "deliveryMode", "publisherConfirm" })
            {
                Assert.Equal(main[flag].Str("value"), meta[flag].Str("value"));
            }

            Assert.Equal(main["connectionString"].Str("secretKeyRef", "name"), meta["connectionString"].Str("secretKeyRef", "name"));
            Assert.Null(meta["connectionString"].At("value"));
            Assert.Equal("secretstore", live.Str("auth", "secretStore"));
            Assert.Equal(["tasks"], live.List("scopes").Select(x => x?.ToString()));
        }
    }

    [Fact]
    public void Live_queues_of_gone_replicas_expire_by_the_same_rabbitmq_policy_in_kubernetes_and_compose()
    {
        var rabbit = Kustomize.Render("k8s/overlays/local").Single("StatefulSet", "rabbitmq").PodTemplate()!
            .Maps("spec", "containers").Single(c => c.Str("name") == "rabbitmq");
        var k8sPattern = PolicyPattern(string.Join(' ', rabbit.List("lifecycle", "postStart", "exec", "command")));
        var compose = YamlModel.LoadSingle("docker-compose.yml").Map("services");
        // $$ is compose's escape for a literal $.
        var composePattern = PolicyPattern(string.Join(' ', compose.List("rabbitmq", "command"))).Replace("$$", "$", StringComparison.Ordinal);
        Assert.Equal(k8sPattern, composePattern);

        var pattern = new System.Text.RegularExpressions.Regex(k8sPattern);
        // Dapr: {podName}-tasks for a Deployment pod and for the compose sidecar; MassTransit: {group}-tasks-live-{instance}.
        Assert.Matches(pattern, "tasks-7d9f8c6b5-x2k4q-tasks");
        Assert.Matches(pattern, compose.Str("tasks-dapr", "environment", "POD_NAME") + "-tasks");
        Assert.Matches(pattern, "tasks-tasks-live-tasks-7d9f8c6b5-x2k4q-1a2b3c4d");
        // Never the durable queues that must keep their messages.
        foreach (var durable in new[] { "tasks-users", "tasks-users-deadletter", "tasks-users_error", "tasks-tasks", "reports-tasks" })
        {
            Assert.DoesNotMatch(pattern, durable);
        }
    }

    /// <summary>The queue pattern of <c>rabbitmqctl set_policy … live-queues '&lt;pattern&gt;' '{"expires":…}'</c>.</summary>
    private static string PolicyPattern(string command)
    {
        var match = System.Text.RegularExpressions.Regex.Match(command, @"set_policy --apply-to queues --priority \d+ live-queues\s+'([^']+)'\s+'\{""expires"":(\d+)\}'");
        Assert.True(match.Success, command);
        Assert.InRange(long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 60_000, 3_600_000);
        return match.Groups[1].Value;
    }

    private static Dictionary<string, Dictionary<string, object?>> Metadata(Dictionary<string, object?> component) =>
        component.Maps("spec", "metadata").ToDictionary(m => m.Str("name")!, m => m, StringComparer.Ordinal);

    private static void AssertMatchesServiceDeclarations(Dictionary<string, object?> pubsub)
    {
        Assert.Equal("pubsub", pubsub.Name());                 // Events__Dapr__PubSubName default
        Assert.Equal("pubsub.rabbitmq", pubsub.Str("spec", "type"));
        var meta = pubsub.Maps("spec", "metadata").ToDictionary(m => m.Str("name")!, m => m, StringComparer.Ordinal);
        // Fanout exchange per topic, durable, not auto-delete; persistent messages with confirms.
        Assert.Equal("fanout", meta["exchangeKind"].Str("value"));
        Assert.Equal("true", meta["durable"].Str("value"));
        Assert.Equal("false", meta["deletedWhenUnused"].Str("value"));
        Assert.Equal("2", meta["deliveryMode"].Str("value"));
        Assert.Equal("true", meta["publisherConfirm"].Str("value"));
        // Values are strings, as Dapr's metadata parser expects them.
        Assert.All(meta.Values.Where(m => m.ContainsKey("value")), m => Assert.IsType<string>(m.At("value")));
        // No consumerID override: queue names are `{app-id}-{topic}` (tasks-users).
        Assert.False(meta.ContainsKey("consumerID"));
        // The broker URI is a secret, never inline.
        Assert.Equal("rabbitmq", meta["connectionString"].Str("secretKeyRef", "name"));
        Assert.Null(meta["connectionString"].At("value"));
        Assert.Equal(["auth", "tasks"], pubsub.List("scopes").Select(x => x?.ToString()));
    }
}
