using System.Text;
using System.Text.Json;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>Renders every kustomize overlay and checks what the product promises about the cluster deployment.</summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => new() { "k8s/overlays/local", "k8s/overlays/production" };

    /// <summary>app -> (cpu request, memory request, cpu limit, memory limit, HPA max) from the original system.</summary>
    private static readonly Dictionary<string, (string CpuReq, string MemReq, string CpuLim, string MemLim, long HpaMax)> Apps = new(StringComparer.Ordinal)
    {
        ["auth"] = ("100m", "128Mi", "500m", "512Mi", 10),
        ["tasks"] = ("100m", "128Mi", "500m", "512Mi", 10),
        ["web"] = ("50m", "64Mi", "200m", "256Mi", 5),
    };

    /// <summary>Each app's Deployment pod-template annotations in <paramref name="overlay"/>.</summary>
    private static IEnumerable<(string App, Dictionary<string, object?> Annotations)> PodAnnotationsOfApps(string overlay) =>
        Apps.Keys.Select(app => (app, Kustomize.Render(overlay).Single("Deployment", app).Map("spec", "template", "metadata", "annotations")));

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Namespace_has_istio_injection_and_restricted_pod_security(string overlay)
    {
        var ns = Kustomize.Render(overlay).Single("Namespace", "taskmanagement");
        Assert.Equal("enabled", ns.Str("metadata", "labels", "istio-injection"));
        Assert.Equal("restricted", ns.Str("metadata", "labels", "pod-security.kubernetes.io/enforce"));
        Assert.All(Kustomize.Render(overlay).Where(d => d.Kind() != "Namespace"),
            d => Assert.True(d.Namespace() == "taskmanagement", $"{d.Kind()}/{d.Name()} is in namespace '{d.Namespace()}'"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void App_deployments_run_dapr_with_the_right_app_id_and_port(string overlay)
    {
        foreach (var (app, annotations) in PodAnnotationsOfApps(overlay))
        {
            Assert.Equal("true", annotations.Str("dapr.io/enabled"));
            Assert.Equal(app, annotations.Str("dapr.io/app-id"));
            Assert.Equal("8080", annotations.Str("dapr.io/app-port"));
            Assert.Equal("http", annotations.Str("dapr.io/app-protocol"));
            Assert.Equal("taskmanagement", annotations.Str("dapr.io/config"));
            Assert.Equal("9090", annotations.Str("dapr.io/metrics-port"));
        }

        // The Configuration the annotation names is rendered into the same namespace.
        Assert.Single(Kustomize.Render(overlay).OfKind("Configuration"), c => c.Name() == "taskmanagement");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void App_deployments_carry_the_istio_annotations_that_let_daprd_coexist(string overlay)
    {
        foreach (var (app, annotations) in PodAnnotationsOfApps(overlay))
        {
            // Envoy ready before daprd/app start.
            Assert.Equal("true", annotations.Str("sidecar.istio.io/nativeSidecar"));
            using var proxyConfig = JsonDocument.Parse(annotations.Str("proxy.istio.io/config") ?? "{}");
            Assert.True(proxyConfig.RootElement.GetProperty("holdApplicationUntilProxyStarts").GetBoolean());
            // daprd's control-plane connections (TLS on ports Istio thinks are plaintext gRPC) bypass Envoy.
            var outbound = Ports(annotations.Str("traffic.sidecar.istio.io/excludeOutboundPorts"));
            Assert.Contains("443", outbound);
            Assert.Contains("50005", outbound);
            Assert.Contains("50006", outbound);
            // kubelet -> daprd health (3501) and Prometheus -> daprd metrics (9090) are plaintext.
            var inbound = Ports(annotations.Str("traffic.sidecar.istio.io/excludeInboundPorts"));
            Assert.Contains("3501", inbound);
            Assert.Contains("9090", inbound);
            // Sidecar-to-sidecar traffic stays in the mesh: Istio owns that mTLS.
            Assert.DoesNotContain("50002", inbound);
            Assert.DoesNotContain("50002", outbound);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_meets_the_restricted_pod_security_profile(string overlay)
    {
        var workloads = Kustomize.Render(overlay).Where(d => d.PodTemplate() is not null).ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            var spec = workload.PodTemplate().Map("spec");
            var where = $"{workload.Kind()}/{workload.Name()}";
            Assert.True(spec.At("hostNetwork") is null or false, where + " hostNetwork");
            Assert.True(spec.At("hostPID") is null or false, where + " hostPID");
            Assert.True(spec.At("hostIPC") is null or false, where + " hostIPC");
            Assert.True(spec.Str("securityContext", "seccompProfile", "type") == "RuntimeDefault", where + " pod seccompProfile");
            foreach (var volume in spec.Maps("volumes"))
            {
                var type = volume.Keys.Single(k => k != "name");
                Assert.True(type is "configMap" or "secret" or "emptyDir" or "persistentVolumeClaim" or "projected" or "downwardAPI" or "ephemeral" or "csi",
                    $"{where} volume type {type} is not allowed by the restricted profile");
            }

            foreach (var container in spec.Maps("containers").Concat(spec.Maps("initContainers")))
            {
                var sc = container.Map("securityContext");
                var c = $"{where}/{container.Str("name")}";
                Assert.True(sc.At("allowPrivilegeEscalation") is false, c + ": allowPrivilegeEscalation must be false");
                Assert.True(sc.At("privileged") is null or false, c + ": privileged");
                Assert.Contains("ALL", sc.List("capabilities", "drop").Select(x => x?.ToString()));
                Assert.All(sc.List("capabilities", "add"), a => Assert.Equal("NET_BIND_SERVICE", a));
                Assert.True(sc.At("runAsNonRoot") is true || spec.At("securityContext", "runAsNonRoot") is true, c + ": runAsNonRoot");
                Assert.True(sc.At("runAsUser") is not 0L && spec.At("securityContext", "runAsUser") is not 0L, c + ": runs as uid 0");
                Assert.True(sc.At("readOnlyRootFilesystem") is true, c + ": readOnlyRootFilesystem");
                var seccomp = sc.Str("seccompProfile", "type") ?? spec.Str("securityContext", "seccompProfile", "type");
                Assert.True(seccomp is "RuntimeDefault" or "Localhost", c + ": seccomp");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void App_containers_have_health_probes_and_the_original_resource_sizes(string overlay)
    {
        foreach (var (app, size) in Apps)
        {
            var container = Assert.Single(Kustomize.Render(overlay).Single("Deployment", app).Maps("spec", "template", "spec", "containers"));
            Assert.Equal("/health/live", container.Str("livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", container.Str("readinessProbe", "httpGet", "path"));
            Assert.Equal("/health/live", container.Str("startupProbe", "httpGet", "path"));
            Assert.Equal(8080L, container.Maps("ports").Single(p => p.Str("name") == "http").At("containerPort"));
            Assert.Equal(size.CpuReq, container.Str("resources", "requests", "cpu"));
            Assert.Equal(size.MemReq, container.Str("resources", "requests", "memory"));
            Assert.Equal(size.CpuLim, container.Str("resources", "limits", "cpu"));
            Assert.Equal(size.MemLim, container.Str("resources", "limits", "memory"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_app_has_service_serviceaccount_hpa_pdb_and_networkpolicy(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var (app, size) in Apps)
        {
            var deployment = docs.Single("Deployment", app);
            var podLabels = deployment.Map("spec", "template", "metadata", "labels");
            Assert.Equal(app, podLabels.Str("app"));
            Assert.Equal(app, podLabels.Str("app.kubernetes.io/name"));

            docs.Single("ServiceAccount", app);
            Assert.Equal(app, deployment.Str("spec", "template", "spec", "serviceAccountName"));

            var service = docs.Single("Service", app);
            var port = Assert.Single(service.Maps("spec", "ports"));
            Assert.Equal("http", port.Str("name"));
            Assert.Equal(8080L, port.At("port"));
            Assert.True(Selects(service.Map("spec", "selector"), podLabels), $"Service {app} does not select its pods");

            var hpa = docs.Single("HorizontalPodAutoscaler", app);
            Assert.Equal(app, hpa.Str("spec", "scaleTargetRef", "name"));
            Assert.Equal("Deployment", hpa.Str("spec", "scaleTargetRef", "kind"));
            Assert.True(hpa.At("spec", "minReplicas") is long min && min >= 1);
            Assert.Equal(size.HpaMax, hpa.At("spec", "maxReplicas"));
            var targets = hpa.Maps("spec", "metrics").ToDictionary(m => m.Str("resource", "name")!, m => m.At("resource", "target", "averageUtilization"), StringComparer.Ordinal);
            Assert.Equal(70L, targets["cpu"]);
            Assert.Equal(80L, targets["memory"]);

            var pdb = docs.Single("PodDisruptionBudget", app);
            Assert.True(Selects(pdb.Map("spec", "selector", "matchLabels"), podLabels), $"PDB {app} does not select its pods");

            Assert.Contains(docs.OfKind("NetworkPolicy"), np => np.Map("spec", "podSelector").Count > 0 && PodSelectorMatches(np.Map("spec", "podSelector"), podLabels) && np.List("spec", "ingress").Count > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Network_policies_deny_by_default_then_allow_dns_control_planes_and_datastores(string overlay)
    {
        var policies = Kustomize.Render(overlay).OfKind("NetworkPolicy").ToList();
        var deny = policies.Single(p => p.Name() == "default-deny-all");
        Assert.Empty(deny.Map("spec", "podSelector"));
        Assert.Equal(["Ingress", "Egress"], deny.List("spec", "policyTypes").Select(x => x?.ToString()));
        Assert.Empty(deny.List("spec", "ingress"));
        Assert.Empty(deny.List("spec", "egress"));

        var egressText = string.Join("\n", policies.Select(p => JsonSerializer.Serialize(p.At("spec", "egress"))));
        Assert.Contains("kube-dns", egressText, StringComparison.Ordinal);
        Assert.Contains("istio-system", egressText, StringComparison.Ordinal);
        Assert.Contains("dapr-system", egressText, StringComparison.Ordinal);
        Assert.Contains(policies, p => p.Name() == "allow-egress-mysql" && JsonSerializer.Serialize(p.At("spec")).Contains("3306", StringComparison.Ordinal));
        Assert.Contains(policies, p => p.Name() == "allow-egress-rabbitmq" && JsonSerializer.Serialize(p.At("spec")).Contains("5672", StringComparison.Ordinal));
        // No policy opens all egress or all ingress.
        Assert.All(policies, p =>
        {
            Assert.DoesNotContain(p.List("spec", "egress"), r => r is Dictionary<string, object?> m && m.Count == 0);
            Assert.DoesNotContain(p.List("spec", "ingress"), r => r is Dictionary<string, object?> m && m.Count == 0);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Service_accounts_get_only_what_the_dapr_kubernetes_secret_store_needs(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        Assert.Empty(docs.OfKind("ClusterRole"));
        Assert.Empty(docs.OfKind("ClusterRoleBinding"));
        foreach (var role in docs.OfKind("Role"))
        {
            var rule = Assert.Single(role.Maps("rules"));
            Assert.Equal(["secrets"], rule.List("resources").Select(x => x?.ToString()));
            Assert.Equal(["get"], rule.List("verbs").Select(x => x?.ToString()));
            Assert.NotEmpty(rule.List("resourceNames"));
            Assert.DoesNotContain("*", rule.List("resourceNames").Select(x => x?.ToString()));
        }

        // Every secret the Dapr components reference through `secretstore` is readable by the scoped apps.
        var pubsub = docs.Single("Component", "pubsub");
        var refs = pubsub.Maps("spec", "metadata").Select(m => m.Str("secretKeyRef", "name")).OfType<string>().ToList();
        Assert.NotEmpty(refs);
        foreach (var app in pubsub.List("scopes").Select(s => s!.ToString()!))
        {
            var binding = docs.OfKind("RoleBinding").Single(b => b.Maps("subjects").Any(s => s.Str("name") == app));
            var role = docs.Single("Role", binding.Str("roleRef", "name")!);
            Assert.All(refs, r => Assert.Contains(r, role.Maps("rules").SelectMany(x => x.List("resourceNames")).Select(x => x?.ToString())));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_database_owning_service_has_a_migration_job_running_the_ef_bundle(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var app in new[] { "auth", "tasks" })
        {
            var job = docs.Single("Job", app + "-migrate");
            var container = Assert.Single(job.Maps("spec", "template", "spec", "containers"));
            Assert.Contains($"/{app}-migrations:", container.Str("image"), StringComparison.Ordinal);
            Assert.Equal(["/app/efbundle"], container.List("command").Select(x => x?.ToString()));
            Assert.Equal(["--connection", "$(ConnectionStrings__Database)"], container.List("args").Select(x => x?.ToString()));
            Assert.Contains(container.Maps("env"), e => e.Str("name") == "ConnectionStrings__Database" && e.Str("valueFrom", "secretKeyRef", "name") == app + "-db");
            Assert.Equal("true", job.Str("spec", "template", "metadata", "annotations", "sidecar.istio.io/nativeSidecar"));
            Assert.Null(job.At("spec", "template", "metadata", "annotations", "dapr.io/enabled"));
            // The Deployment is the part rolled out after the Job (two-phase apply selects on this label).
            Assert.Equal("after-migrations", docs.Single("Deployment", app).Str("metadata", "labels", "taskmanagement.io/rollout"));
            Assert.Null(job.At("metadata", "labels", "taskmanagement.io/rollout"));
            // k8s does not migrate at start; the Job does.
            var config = docs.OfKind("ConfigMap").Single(c => c.Name().StartsWith(app + "-config", StringComparison.Ordinal));
            Assert.Equal("false", config.Str("data", "Database__MigrateOnStartup"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Image_tags_are_pinned(string overlay)
    {
        var images = Kustomize.Render(overlay).Select(d => d.PodTemplate()).OfType<Dictionary<string, object?>>()
            .SelectMany(t => t.Maps("spec", "containers").Concat(t.Maps("spec", "initContainers")))
            .Select(c => c.Str("image")!).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, ImageRules.AssertPinned);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Secrets_hold_only_marked_example_values(string overlay)
    {
        foreach (var secret in Kustomize.Render(overlay).OfKind("Secret"))
        {
            var values = secret.Map("data").Select(kv => (kv.Key, Encoding.UTF8.GetString(Convert.FromBase64String(kv.Value!.ToString()!))))
                .Concat(secret.Map("stringData").Select(kv => (kv.Key, kv.Value?.ToString() ?? string.Empty))).ToList();
            Assert.NotEmpty(values);
            foreach (var (key, value) in values)
            {
                Assert.True(value.Contains("EXAMPLE-ONLY", StringComparison.Ordinal), $"Secret {secret.Name()} key {key} is not a marked example value");
                Assert.DoesNotContain("PRIVATE KEY", value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Production_ships_no_secrets_and_points_at_external_datastores()
    {
        var docs = Kustomize.Render("k8s/overlays/production");
        Assert.Empty(docs.OfKind("Secret"));
        Assert.Empty(docs.OfKind("StatefulSet"));
        Assert.Equal("ExternalName", docs.Single("Service", "mysql").Str("spec", "type"));
        Assert.Equal("ExternalName", docs.Single("Service", "rabbitmq").Str("spec", "type"));
        Assert.All(docs.OfKind("HorizontalPodAutoscaler"), h => Assert.True((long)h.At("spec", "minReplicas")! >= 2));
    }

    [Fact]
    public void Local_overlay_runs_mysql_and_rabbitmq_statefulsets_with_volumes()
    {
        var docs = Kustomize.Render("k8s/overlays/local");
        foreach (var (name, port, portName) in new[] { ("mysql", 3306L, "tcp-mysql"), ("rabbitmq", 5672L, "tcp-amqp") })
        {
            var sts = docs.Single("StatefulSet", name);
            Assert.NotEmpty(sts.Maps("spec", "volumeClaimTemplates"));
            Assert.Equal(name, sts.Str("spec", "template", "spec", "serviceAccountName"));
            docs.Single("ServiceAccount", name);
            var svc = docs.Single("Service", name);
            Assert.Contains(svc.Maps("spec", "ports"), p => p.Str("name") == portName && Equals(p.At("port"), port));
        }

        Assert.Contains(docs.Single("Service", "rabbitmq").Maps("spec", "ports"), p => p.Str("name") == "http-management" && Equals(p.At("port"), 15672L));
        // One replica each on kind: the HPA floor (Deployments leave `replicas` to the HPA).
        Assert.All(docs.OfKind("HorizontalPodAutoscaler"), h => Assert.Equal(1L, h.At("spec", "minReplicas")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Monitoring_covers_every_app_with_service_monitors_rules_and_dashboard(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var monitor = Assert.Single(docs.OfKind("ServiceMonitor"));
        var selected = monitor.Maps("spec", "selector", "matchExpressions").SelectMany(e => e.List("values")).Select(v => v?.ToString()).ToList();
        Assert.All(Apps.Keys, app => Assert.Contains(app, selected));
        Assert.Contains(monitor.Maps("spec", "endpoints"), e => e.Str("port") == "http" && e.Str("path") == "/metrics");

        var alerts = docs.OfKind("PrometheusRule").SelectMany(r => r.Maps("spec", "groups")).SelectMany(g => g.Maps("rules"))
            .Select(r => (Alert: r.Str("alert")!, Expr: r.Str("expr")!)).ToList();
        Assert.Contains(alerts, a => a.Expr.Contains("http_response_status_code=~\"5..\"", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Expr.Contains("histogram_quantile(0.99", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Expr.Contains("outbox", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Expr.Contains("kube_pod_container_status_restarts_total", StringComparison.Ordinal));

        var dashboard = docs.OfKind("ConfigMap").Single(c => c.Str("metadata", "labels", "grafana_dashboard") == "1");
        using var json = JsonDocument.Parse(dashboard.Map("data").Values.Single()!.ToString()!);
        Assert.True(json.RootElement.GetProperty("panels").GetArrayLength() >= 4);
    }

    internal static bool Selects(Dictionary<string, object?> selector, Dictionary<string, object?> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && Equals(v?.ToString(), kv.Value?.ToString()));

    private static bool PodSelectorMatches(Dictionary<string, object?> selector, Dictionary<string, object?> labels)
    {
        var matchLabels = selector.Map("matchLabels");
        var okLabels = matchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && Equals(v?.ToString(), kv.Value?.ToString()));
        var okExpr = selector.Maps("matchExpressions").All(e =>
            e.Str("operator") == "In" && labels.TryGetValue(e.Str("key")!, out var v) && e.List("values").Select(x => x?.ToString()).Contains(v?.ToString()));
        return okLabels && okExpr;
    }

    private static HashSet<string> Ports(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
