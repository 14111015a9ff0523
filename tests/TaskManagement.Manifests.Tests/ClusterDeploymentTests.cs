using System.Diagnostics;
using System.Text.RegularExpressions;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>
/// What would break (or weaken) on the first real deploy (issue 13): Pod Security vs the Dapr sidecar,
/// RabbitMQ logging, client addresses, the compose signing key, istioctl analyze, retries, HPA-owned
/// replicas, internal paths at the gateway, daprd's listen address, and the cosmetic leftovers.
/// </summary>
public sealed partial class ClusterDeploymentTests
{
    private const string DropAllCapabilities = "dapr_sidecar_injector.sidecarDropALLCapabilities=true";

    private static readonly string[] Methods = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"];

    // ---- 1. daprd must drop ALL capabilities or the restricted namespace admits no app pod ----

    [Fact]
    public void Every_dapr_install_drops_all_sidecar_capabilities_for_the_restricted_namespace()
    {
        var helmLines = WorkflowRuns("mesh.yml").SelectMany(r => r.Split('\n'))
            .Where(l => l.Contains("dapr/dapr", StringComparison.Ordinal) || l.Contains("--set", StringComparison.Ordinal)).ToList();
        var meshInstall = string.Join('\n', WorkflowRuns("mesh.yml").Where(r => r.Contains("helm upgrade --install dapr", StringComparison.Ordinal)));
        Assert.True(meshInstall.Contains(DropAllCapabilities, StringComparison.Ordinal), "mesh.yml installs Dapr without " + DropAllCapabilities + ":\n" + string.Join('\n', helmLines));

        var docs = Repo.ReadText("docs", "deployment.md");
        var docsInstall = DocsCommand(docs, "helm upgrade --install dapr");
        Assert.Contains(DropAllCapabilities, docsInstall, StringComparison.Ordinal);
    }

    // ---- 2. RABBITMQ_CONFIG_FILES replaces conf.d: logging must be configured again ----

    [Fact]
    public void In_cluster_rabbitmq_logs_to_the_console_not_to_a_file_on_the_read_only_root()
    {
        var docs = Kustomize.Render("k8s/overlays/local");
        var container = docs.Single("StatefulSet", "rabbitmq").Maps("spec", "template", "spec", "containers").Single();
        var configDir = container.Maps("env").Single(e => e.Str("name") == "RABBITMQ_CONFIG_FILES").Str("value")!;
        var mount = container.Maps("volumeMounts").Single(m => m.Str("mountPath") == configDir);
        var volume = docs.Single("StatefulSet", "rabbitmq").Maps("spec", "template", "spec", "volumes").Single(v => v.Str("name") == mount.Str("name"));
        var config = docs.Single("ConfigMap", volume.Str("configMap", "name")!);
        var confFiles = config.Map("data").Where(kv => kv.Key.EndsWith(".conf", StringComparison.Ordinal)).Select(kv => kv.Value!.ToString()!).ToList();
        Assert.NotEmpty(confFiles);
        var settings = confFiles.SelectMany(c => c.Split('\n')).Select(l => l.Trim()).ToList();
        Assert.Contains("log.console = true", settings);
        Assert.Contains("log.file = false", settings);
        Assert.True(container.At("securityContext", "readOnlyRootFilesystem") is true);
    }

    // ---- 3. real client addresses end to end ----

    [Fact]
    public void Plain_nodeport_gateway_keeps_client_addresses_with_the_local_traffic_policy()
    {
        var service = IstioManifestTests.IstioOperator().Maps("spec", "components", "ingressGateways").Single().Map("k8s", "service");
        Assert.Equal("NodePort", service.Str("type"));
        Assert.Equal("Local", service.Str("externalTrafficPolicy"));
    }

    [Fact]
    public void Compose_trusts_forwarded_headers_only_from_web_at_a_fixed_address()
    {
        var compose = YamlModel.LoadSingle("docker-compose.yml");
        var subnet = Assert.Single(compose.Maps("networks", "default", "ipam", "config")).Str("subnet")!;
        var webAddress = compose.Str("services", "web", "networks", "default", "ipv4_address")!;
        Assert.True(InNetwork(webAddress, subnet), $"web {webAddress} is not in {subnet}");
        foreach (var app in new[] { "auth", "tasks" })
        {
            var env = compose.Map("services", app, "environment");
            var trusted = env.Where(kv => kv.Key.StartsWith("ForwardedHeaders__KnownNetworks__", StringComparison.Ordinal) || kv.Key.StartsWith("ForwardedHeaders__KnownProxies__", StringComparison.Ordinal))
                .Select(kv => kv.Value!.ToString()!).ToList();
            Assert.True(trusted.Count > 0, $"{app} trusts no proxy: every user shares Web's rate-limit bucket");
            Assert.All(trusted, t => Assert.True(InNetwork(webAddress, t.Contains('/', StringComparison.Ordinal) ? t : t + "/32"), $"{app} trusts {t}, not web"));
            Assert.All(trusted, t => Assert.True(!t.Contains('/', StringComparison.Ordinal) || int.Parse(t[(t.IndexOf('/', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 24, $"{app} trusts a wide network {t}"));
        }

        // Web is the edge: it trusts no proxy in front of it.
        Assert.DoesNotContain(compose.Map("services", "web", "environment").Keys, k => k.StartsWith("ForwardedHeaders__Known", StringComparison.Ordinal));
        Assert.DoesNotContain(compose.Map("x-app-env").Keys, k => k.StartsWith("ForwardedHeaders__Known", StringComparison.Ordinal));
    }

    // ---- 4. the documented compose key step must produce a key UID 1654 can read ----

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Compose_signing_key_step_produces_a_key_the_container_user_can_read()
    {
        var compose = YamlModel.LoadSingle("docker-compose.yml");
        var secretFile = compose.Str("secrets", "jwt-signing-key.pem", "file")!;
        var docs = Repo.ReadText("docs", "deployment.md");
        var step = DocsCommand(docs, "openssl genpkey", secretFile.TrimStart('.', '/'));

        var dir = Directory.CreateTempSubdirectory("keystep");
        try
        {
            var (code, output) = Run("bash", dir.FullName, "-euo", "pipefail", "-c", step);
            Assert.True(code == 0, $"the documented key step failed ({code}): {output}");
            var key = Path.Combine(dir.FullName, secretFile);
            Assert.True(File.Exists(key), $"{step} did not create {secretFile}");
            // The bind mount keeps the host owner and mode; the container user (1654) is "other".
            Assert.True(File.GetUnixFileMode(key).HasFlag(UnixFileMode.OtherRead), $"{secretFile} is {File.GetUnixFileMode(key)}: UID 1654 cannot read it");
            // ...while other host users are kept out by the directory.
            var keyDir = File.GetUnixFileMode(Path.GetDirectoryName(key)!);
            Assert.False(keyDir.HasFlag(UnixFileMode.OtherExecute) || keyDir.HasFlag(UnixFileMode.GroupExecute), $"key directory is {keyDir}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // ---- 5. istioctl analyze --failure-threshold Warning on a correct deployment ----

    [Fact]
    public void Authorization_policy_source_namespaces_exist_where_the_mesh_test_runs()
    {
        var policies = Kustomize.Render("istio").Concat(Kustomize.Render("k8s/overlays/local")).OfKind("AuthorizationPolicy").ToList();
        var sourceNamespaces = policies.SelectMany(p => p.Maps("spec", "rules")).SelectMany(r => r.Maps("from"))
            .SelectMany(f => f.List("source", "namespaces").Concat(f.List("source", "notNamespaces"))).Select(n => n!.ToString()!).Distinct().ToList();
        Assert.Contains("monitoring", sourceNamespaces);
        var runs = string.Join('\n', WorkflowRuns("mesh.yml"));
        var verify = runs.IndexOf("tests/mesh/verify-mtls.sh", StringComparison.Ordinal);
        Assert.True(verify > 0);
        foreach (var ns in sourceNamespaces.Where(n => n is not ("taskmanagement" or "istio-system" or "dapr-system")))
        {
            var create = Regex.Match(runs, $@"kubectl create namespace {Regex.Escape(ns)}\b|kubectl create ns {Regex.Escape(ns)}\b");
            Assert.True(create.Success && create.Index < verify, $"mesh.yml never creates namespace {ns}: istioctl analyze reports IST0101 for the policies naming it");
        }
    }

    [Theory]
    [InlineData("k8s/overlays/local")]
    [InlineData("k8s/overlays/production")]
    public void Every_authorization_policy_selects_pods_of_the_overlay_it_is_applied_with(string overlay)
    {
        // istio/ is applied with every overlay; infra policies only with the overlay that renders them.
        var docs = Kustomize.Render(overlay);
        var podLabels = docs.Select(d => d.PodTemplate()).OfType<Dictionary<string, object?>>().Select(t => t.Map("metadata", "labels")).ToList();
        var policies = Kustomize.Render("istio").Concat(docs).OfKind("AuthorizationPolicy").Where(p => p.Namespace() == "taskmanagement");
        foreach (var policy in policies.Where(p => p.Map("spec", "selector", "matchLabels").Count > 0))
        {
            var selector = policy.Map("spec", "selector", "matchLabels");
            Assert.True(podLabels.Any(l => KubernetesManifestTests.Selects(selector, l)),
                $"{overlay}: AuthorizationPolicy {policy.Name()} selects no pod (istioctl analyze IST0127)");
        }
    }

    // ---- 6. retries: only before the request reached the app for writes ----

    [Fact]
    public void Writes_are_retried_only_on_failures_before_the_request_was_sent()
    {
        var vs = Kustomize.Render("istio").OfKind("VirtualService").Single();
        var routes = vs.Maps("spec", "http").Where(r => r.At("route") is not null).ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var methods = MethodsOf(route);
            var attempts = route.At("retries", "attempts") as long? ?? 2L;   // Istio default: 2 retries
            var retryOn = (route.Str("retries", "retryOn") ?? "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (attempts == 0 || methods.All(m => m is "GET" or "HEAD" or "OPTIONS"))
            {
                continue;
            }

            Assert.True(retryOn.All(r => r is "connect-failure" or "refused-stream"),
                $"route {route.Str("name")} ({string.Join('|', methods)}) retries on {string.Join(',', retryOn)}: a committed write whose response was lost is replayed");
            Assert.DoesNotContain("POST", methods);
            Assert.DoesNotContain("PATCH", methods);
        }

        // PUT/DELETE still retried where it is safe, reads still retried on resets.
        Assert.Contains(routes, r => MethodsOf(r).Contains("PUT") && r.At("retries", "attempts") is > 0L);
        Assert.Contains(routes, r => MethodsOf(r).SequenceEqual(["GET", "HEAD", "OPTIONS"]) && (r.Str("retries", "retryOn") ?? string.Empty).Contains("reset", StringComparison.Ordinal));
    }

    // ---- 7. the HPA owns the replica count ----

    [Theory]
    [InlineData("k8s/overlays/local")]
    [InlineData("k8s/overlays/production")]
    public void Deployments_scaled_by_an_hpa_do_not_set_replicas(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var scaled = docs.OfKind("HorizontalPodAutoscaler").Select(h => h.Str("spec", "scaleTargetRef", "name")).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(scaled);
        foreach (var deployment in docs.OfKind("Deployment").Where(d => scaled.Contains(d.Name())))
        {
            Assert.True(deployment.At("spec", "replicas") is null, $"{overlay}: Deployment {deployment.Name()} sets replicas beside its HPA: every apply scales it back");
        }
    }

    // ---- 9. internal endpoint families never leave the cluster ----

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/metrics/")]
    [InlineData("/METRICS")]
    [InlineData("/Metrics/prometheus")]
    [InlineData("/health")]
    [InlineData("/health/")]
    [InlineData("/health/ready")]
    [InlineData("/HEALTH/live")]
    [InlineData("/healthz")]
    [InlineData("/dapr/subscribe")]
    [InlineData("/DAPR/config")]
    [InlineData("/api/events/users")]
    [InlineData("/API/Events/users")]
    public void Internal_paths_in_any_spelling_are_answered_404_by_the_gateway(string path)
    {
        var vs = Kustomize.Render("istio").OfKind("VirtualService").Single();
        foreach (var method in new[] { "GET", "HEAD", "POST" })
        {
            var first = vs.Maps("spec", "http").FirstOrDefault(r => !r.Maps("match").Any() || r.Maps("match").Any(m => Matches(m, path, method)));
            Assert.NotNull(first);
            Assert.True(first.At("route") is null && Equals(first.At("directResponse", "status"), 404L),
                $"{method} {path} is routed by {first.Str("name")} instead of being answered 404");
        }
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/metrics/")]
    [InlineData("/metrics/prometheus")]
    [InlineData("/health")]
    [InlineData("/health/")]
    [InlineData("/health/ready")]
    [InlineData("/healthz")]
    [InlineData("/dapr/subscribe")]
    [InlineData("/api/events/users")]
    public void Gateway_denies_internal_path_families_by_prefix(string path)
    {
        var deny = Kustomize.Render("istio").Single("AuthorizationPolicy", "taskmanagement-internal-paths");
        Assert.Equal("DENY", deny.Str("spec", "action"));
        Assert.Equal("istio-system", deny.Namespace());
        var paths = deny.Maps("spec", "rules").SelectMany(r => r.Maps("to")).SelectMany(t => t.List("operation", "paths")).Select(p => p!.ToString()!).ToList();
        Assert.True(paths.Any(p => IstioPathMatches(p, path)), $"{path} is not denied at the gateway ({string.Join(", ", paths)})");
    }

    // ---- 10. compose daprd: no open, token-less API on the network ----

    [Fact]
    public void Compose_daprd_api_listens_on_loopback_only()
    {
        var services = YamlModel.LoadSingle("docker-compose.yml").Map("services");
        foreach (var sidecar in services.Where(kv => kv.Key.EndsWith("-dapr", StringComparison.Ordinal)))
        {
            var args = sidecar.Value.List("command").Select(a => a!.ToString()!).ToList();
            var i = args.IndexOf("--dapr-listen-addresses");
            var hasToken = sidecar.Value.Map("environment").ContainsKey("DAPR_API_TOKEN");
            Assert.True((i >= 0 && args[i + 1].Split(',').All(a => a is "127.0.0.1" or "[::1]" or "localhost")) || hasToken,
                $"{sidecar.Key}: daprd's API listens on every interface with no API token");
        }

        Assert.Contains(services.Keys, k => k.EndsWith("-dapr", StringComparison.Ordinal));
    }

    // ---- 11. the mesh test checks what matters and does not pass on an empty service ----

    [Fact]
    public void Mesh_test_checks_endpoints_before_plaintext_refusal_and_covers_dapr_datastores_and_443()
    {
        var script = Repo.ReadText("tests", "mesh", "verify-mtls.sh");
        var (code, output) = Run("bash", Repo.Root, "-n", Repo.PathOf("tests", "mesh", "verify-mtls.sh"));
        Assert.True(code == 0, output);

        // "plaintext refused" only means something when the service has ready endpoints.
        var endpoints = script.IndexOf("require_endpoints", StringComparison.Ordinal);
        var refused = script.IndexOf("plaintext refused", StringComparison.Ordinal);
        Assert.True(endpoints > 0 && refused > endpoints, "the plaintext check runs before any endpoint check");
        Assert.Matches(@"kubectl[^\n]*get endpointslices", script);

        // A positive control per app, Dapr (sidecar ready, components loaded, an event through the broker),
        // the MySQL and RabbitMQ hops, and HTTPS on the gateway.
        foreach (var needle in new[]
                 {
                     "positive control", "daprd", "/v1.0/metadata", "user.deleted", "tcp-mysql", "tcp-amqp", "30443", "monitoring",
                 })
        {
            Assert.Contains(needle, script, StringComparison.Ordinal);
        }

        foreach (var app in new[] { "auth", "tasks", "web" })
        {
            Assert.Matches($@"positive_control\s+{app}\b", script);
        }
    }

    // ---- 12. cosmetic leftovers ----

    [Fact]
    public void No_plaintext_xds_port_is_opened_and_comments_name_the_1_18_scheduler_port()
    {
        var docs = Kustomize.Render("k8s/overlays/production");
        var istiod = docs.Single("NetworkPolicy", "allow-istio-control-plane");
        var ports = istiod.Maps("spec", "egress").SelectMany(e => e.Maps("ports")).Select(p => p.At("port")).ToList();
        Assert.Equal([15012L], ports);
        foreach (var app in new[] { "auth", "tasks", "web" })
        {
            var text = Repo.ReadText("k8s", "base", "apps", app + ".yaml");
            Assert.DoesNotContain("scheduler 50006", text, StringComparison.Ordinal);
            Assert.Contains("scheduler", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_create_the_namespace_before_any_secret_in_it()
    {
        var lines = Repo.ReadText("docs", "deployment.md").Split('\n');
        var firstSecret = Array.FindIndex(lines, l => Regex.IsMatch(l, @"kubectl -n taskmanagement create secret"));
        Assert.True(firstSecret > 0);
        var namespaceCreated = Array.FindIndex(lines, l => Regex.IsMatch(l, @"kubectl (create namespace taskmanagement|apply -f k8s/base/namespace\.yaml)"));
        Assert.True(namespaceCreated >= 0 && namespaceCreated < firstSecret, "docs/deployment.md creates Secrets in taskmanagement before the namespace exists");
    }

    // ---- the AWS NLB in front of the NodePorts, as code ----

    [Fact]
    public void Aws_gateway_service_is_an_internet_facing_nlb_with_instance_targets_on_fixed_nodeports()
    {
        var gateway = AwsIstioOperator().Maps("spec", "components", "ingressGateways").Single();
        Assert.Equal("istio-ingressgateway", gateway.Str("name"));
        var service = gateway.Map("k8s", "service");
        Assert.Equal("LoadBalancer", service.Str("type"));
        Assert.Equal("service.k8s.aws/nlb", service.Str("loadBalancerClass"));
        var ports = service.Maps("ports").ToList();
        Assert.Contains(ports, p => Equals(p.At("port"), 80L) && Equals(p.At("targetPort"), 8080L) && Equals(p.At("nodePort"), 30080L));
        Assert.Contains(ports, p => Equals(p.At("port"), 443L) && Equals(p.At("targetPort"), 8443L) && Equals(p.At("nodePort"), 30443L));
        Assert.Contains(ports, p => Equals(p.At("port"), 15021L) && Equals(p.At("targetPort"), 15021L) && Equals(p.At("nodePort"), 30021L));

        var annotations = gateway.Map("k8s", "serviceAnnotations");
        const string Prefix = "service.beta.kubernetes.io/aws-load-balancer-";
        Assert.Equal("external", annotations.Str(Prefix + "type"));
        Assert.Equal("instance", annotations.Str(Prefix + "nlb-target-type"));
        Assert.Equal("internet-facing", annotations.Str(Prefix + "scheme"));
        Assert.Equal("*", annotations.Str(Prefix + "proxy-protocol"));
        Assert.Contains("load_balancing.cross_zone.enabled=true", annotations.Str(Prefix + "attributes")!.Split(','));
        Assert.Equal("30021", annotations.Str(Prefix + "healthcheck-port"));
        // Annotation values are strings for the controller (a YAML number would be rejected by the API server).
        Assert.All(annotations.Values, v => Assert.IsType<string>(v));
        // TLS passes through to the gateway (no certificate at the NLB): the Gateway terminates it.
        Assert.DoesNotContain(annotations.Keys, k => k.StartsWith(Prefix + "ssl-", StringComparison.Ordinal));
        var https = Kustomize.Render("istio").Single("Gateway", "taskmanagement-gateway").Maps("spec", "servers").Single(s => Equals(s.At("port", "number"), 443L));
        Assert.Equal("SIMPLE", https.Str("tls", "mode"));
        Assert.Equal("taskmanagement-tls", https.Str("tls", "credentialName"));
    }

    [Fact]
    public void Aws_gateway_reads_the_client_address_from_proxy_protocol_v2()
    {
        var gateway = AwsIstioOperator().Maps("spec", "components", "ingressGateways").Single();
        using var proxyConfig = System.Text.Json.JsonDocument.Parse(gateway.Str("k8s", "podAnnotations", "proxy.istio.io/config")!);
        var topology = proxyConfig.RootElement.GetProperty("gatewayTopology");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, topology.GetProperty("proxyProtocol").ValueKind);
        // The NLB adds no X-Forwarded-For: trusting a hop in front would let clients pick their address.
        Assert.Equal(0, topology.GetProperty("numTrustedProxies").GetInt32());
        // PROXY v2 also reaches the health check, which Istio's status listener cannot parse: TCP check.
        var annotations = gateway.Map("k8s", "serviceAnnotations");
        Assert.Equal("tcp", annotations.Str("service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol"));
        // Client address in the PROXY header, so every node may forward (Cluster) and stays a healthy target.
        Assert.Equal("Cluster", gateway.Str("k8s", "service", "externalTrafficPolicy"));
    }

    [Fact]
    public void Aws_install_differs_from_the_plain_install_only_in_the_gateway_service()
    {
        static string Core(Dictionary<string, object?> iop)
        {
            var copy = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(System.Text.Json.JsonSerializer.Serialize(iop))!;
            var k8s = copy["spec"]!["components"]!["ingressGateways"]![0]!["k8s"]!.AsObject();
            k8s.Remove("service");
            k8s.Remove("serviceAnnotations");
            k8s.Remove("podAnnotations");
            return copy.ToJsonString();
        }

        Assert.Equal(Core(IstioManifestTests.IstioOperator()), Core(AwsIstioOperator()));
    }

    internal static Dictionary<string, object?> AwsIstioOperator() => YamlModel.LoadSingle("istio", "install", "aws", "istiooperator.yaml");

    // ---- helpers ----

    internal static IEnumerable<string> WorkflowRuns(string workflow) =>
        YamlModel.LoadSingle(".github", "workflows", workflow).Map("jobs").Values
            .SelectMany(j => j.Maps("steps")).Select(s => s.Str("run")).OfType<string>();

    /// <summary>The shell command in docs (a line, with its backslash continuations) that contains every needle.</summary>
    internal static string DocsCommand(string docs, params string[] needles)
    {
        var lines = docs.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var command = lines[i];
            var j = i;
            while (command.TrimEnd().EndsWith('\\') && j + 1 < lines.Length)
            {
                command = command.TrimEnd().TrimEnd('\\') + " " + lines[++j].Trim();
            }

            if (needles.All(n => command.Contains(n, StringComparison.Ordinal)))
            {
                var comment = command.IndexOf("  #", StringComparison.Ordinal);
                return (comment > 0 ? command[..comment] : command).Trim();
            }
        }

        Assert.Fail($"docs/deployment.md has no command containing {string.Join(" + ", needles)}");
        return string.Empty;
    }

    internal static (int Code, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static List<string> MethodsOf(Dictionary<string, object?> route)
    {
        var matches = route.Maps("match").ToList();
        if (matches.Count == 0)
        {
            return [.. Methods];
        }

        return [.. Methods.Where(m => matches.Any(x => x.Str("method", "regex") is not { } re || Regex.IsMatch(m, "^(" + re + ")$")))];
    }

    private static bool Matches(Dictionary<string, object?> match, string path, string method)
    {
        var uri = match.Map("uri");
        var comparison = match.At("ignoreUriCase") is true ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var pathOk = uri.Str("exact") is { } exact ? string.Equals(path, exact, comparison)
            : uri.Str("prefix") is { } prefix ? path.StartsWith(prefix, comparison)
            : uri.Str("regex") is { } regex && Regex.IsMatch(path, "^(" + regex + ")$", comparison == StringComparison.OrdinalIgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        var methodRegex = match.Str("method", "regex");
        return pathOk && (methodRegex is null || Regex.IsMatch(method, "^(" + methodRegex + ")$"));
    }

    /// <summary>Istio AuthorizationPolicy path syntax: exact, "prefix*", "*suffix", "*".</summary>
    private static bool IstioPathMatches(string pattern, string path) => pattern switch
    {
        "*" => true,
        _ when pattern.EndsWith('*') => path.StartsWith(pattern[..^1], StringComparison.Ordinal),
        _ when pattern.StartsWith('*') => path.EndsWith(pattern[1..], StringComparison.Ordinal),
        _ => path == pattern,
    };

    private static bool InNetwork(string address, string cidr) =>
        System.Net.IPNetwork.Parse(cidr).Contains(System.Net.IPAddress.Parse(address));
}
