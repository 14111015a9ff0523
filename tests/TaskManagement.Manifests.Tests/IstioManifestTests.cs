using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>istio/ (rendered with kubectl kustomize) and the istioctl install file.</summary>
public sealed class IstioManifestTests
{
    private const string GatewayPrincipal = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);   // LiveUpdates:HeartbeatInterval's default
    private static IReadOnlyList<Dictionary<string, object?>> Istio => Kustomize.Render("istio");

    [Fact]
    public void Namespace_peer_authentication_is_strict()
    {
        var pa = Assert.Single(Istio.OfKind("PeerAuthentication"));
        Assert.Equal("taskmanagement", pa.Namespace());
        Assert.Null(pa.At("spec", "selector"));           // namespace-wide
        Assert.Equal("STRICT", pa.Str("spec", "mtls", "mode"));
        Assert.Null(pa.At("spec", "portLevelMtls"));
    }

    [Fact]
    public void No_authorization_policy_allows_everything_and_the_namespace_denies_by_default()
    {
        var policies = Istio.Concat(Kustomize.Render("k8s/overlays/local")).OfKind("AuthorizationPolicy").ToList();
        var denyAll = policies.Single(p => p.Name() == "deny-all");
        Assert.Equal("taskmanagement", denyAll.Namespace());
        Assert.Empty(denyAll.Map("spec"));

        foreach (var policy in policies.Where(p => (p.Str("spec", "action") ?? "ALLOW") == "ALLOW"))
        {
            foreach (var rule in policy.Maps("spec", "rules"))
            {
                // A rule with no `from` or no source constraint matches every caller.
                Assert.True(rule.Maps("from").Any(), $"{policy.Name()}: an ALLOW rule without `from` admits any caller");
                Assert.All(rule.Maps("from"), f => Assert.True(f.Map("source").Count > 0, $"{policy.Name()}: empty source"));
                Assert.DoesNotContain("*", rule.Maps("from").SelectMany(f => f.List("source", "principals")).Select(x => x?.ToString()));
                Assert.DoesNotContain("*", rule.Maps("from").SelectMany(f => f.List("source", "namespaces")).Select(x => x?.ToString()));
            }

            if (policy.Maps("spec", "rules").Any())
            {
                Assert.True(policy.Map("spec", "selector").Count > 0, $"{policy.Name()}: ALLOW policy with rules but without selector");
            }
        }
    }

    [Fact]
    public void Apps_and_datastores_allow_exactly_the_documented_callers()
    {
        // The datastore policies live beside the in-cluster datastores (k8s/infra, local overlay only).
        var policies = Istio.Concat(Kustomize.Render("k8s/overlays/local")).OfKind("AuthorizationPolicy").Where(p => p.Namespace() == "taskmanagement").ToList();
        Assert.DoesNotContain(Kustomize.Render("k8s/overlays/production").OfKind("AuthorizationPolicy"), p => p.Name() is "mysql" or "rabbitmq");
        IEnumerable<string?> PrincipalsFor(string app) => policies.Where(p => p.Str("spec", "selector", "matchLabels", "app") == app)
            .SelectMany(p => p.Maps("spec", "rules")).SelectMany(r => r.Maps("from")).SelectMany(f => f.List("source", "principals")).Select(x => x?.ToString());

        foreach (var app in new[] { "auth", "tasks", "web" })
        {
            Assert.Contains(GatewayPrincipal, PrincipalsFor(app));
        }

        // tasks -> auth only for discovery / JWKS, GET only.
        var tasksRule = policies.Single(p => p.Name() == "auth").Maps("spec", "rules")
            .Single(r => r.Maps("from").Any(f => f.List("source", "principals").Contains("cluster.local/ns/taskmanagement/sa/tasks"))
                && !r.Maps("to").Any(t => t.List("operation", "ports").Contains("50002")));
        var op = Assert.Single(tasksRule.Maps("to")).Map("operation");
        Assert.Equal(["GET"], op.List("methods").Select(x => x?.ToString()));
        Assert.All(op.List("paths").Select(x => x!.ToString()!), p => Assert.StartsWith("/api/auth/.well-known/", p, StringComparison.Ordinal));

        foreach (var (store, port) in new[] { ("mysql", "3306"), ("rabbitmq", "5672") })
        {
            Assert.Equal(
                ["cluster.local/ns/taskmanagement/sa/auth", "cluster.local/ns/taskmanagement/sa/tasks"],
                PrincipalsFor(store).Order(StringComparer.Ordinal));
            var rule = policies.Single(p => p.Name() == store).Maps("spec", "rules").First();
            Assert.Contains(port, rule.Maps("to").SelectMany(t => t.List("operation", "ports")).Select(x => x?.ToString()));
        }

        // Dapr's sidecar-to-sidecar port is allowed on every app, only from the product's own apps.
        foreach (var app in new[] { "auth", "tasks", "web" })
        {
            var daprRule = policies.Single(p => p.Name() == app).Maps("spec", "rules")
                .Single(r => r.Maps("to").Any(t => t.List("operation", "ports").Contains("50002")));
            Assert.All(daprRule.Maps("from").SelectMany(f => f.List("source", "principals")).Select(x => x!.ToString()!),
                p => Assert.StartsWith("cluster.local/ns/taskmanagement/sa/", p, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Destination_rules_add_traffic_policy_without_overriding_auto_mtls()
    {
        var rules = Istio.OfKind("DestinationRule").ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, dr =>
        {
            Assert.DoesNotContain("*", dr.Str("spec", "host"), StringComparison.Ordinal);
            Assert.EndsWith(".taskmanagement.svc.cluster.local", dr.Str("spec", "host"), StringComparison.Ordinal);
            Assert.Null(dr.At("spec", "trafficPolicy", "tls"));
            Assert.NotNull(dr.At("spec", "trafficPolicy", "connectionPool"));
            Assert.NotNull(dr.At("spec", "trafficPolicy", "outlierDetection"));
        });
    }

    [Fact]
    public void Virtual_service_routes_prefixes_and_retries_only_idempotent_methods()
    {
        var vs = Assert.Single(Istio.OfKind("VirtualService"));
        Assert.Contains("istio-system/taskmanagement-gateway", vs.List("spec", "gateways").Select(x => x?.ToString()));
        var routes = vs.Maps("spec", "http").ToList();

        string? HostFor(string path, string method) => routes.FirstOrDefault(r => r.Maps("match").Any(m => Matches(m, path, method)))
            ?.Maps("route").SingleOrDefault()?.Str("destination", "host");
        Assert.Equal("auth.taskmanagement.svc.cluster.local", HostFor("/api/auth/login", "POST"));
        Assert.Equal("tasks.taskmanagement.svc.cluster.local", HostFor("/api/tasks", "GET"));
        Assert.Equal("tasks.taskmanagement.svc.cluster.local", HostFor("/api/tasks/42", "DELETE"));
        Assert.Equal("web.taskmanagement.svc.cluster.local", HostFor("/", "GET"));
        Assert.Equal("web.taskmanagement.svc.cluster.local", HostFor("/api/authors", "GET"));
        Assert.Null(HostFor("/api/events/users", "POST"));   // internal: direct 404
        Assert.Null(HostFor("/metrics", "GET"));

        foreach (var method in new[] { "POST", "PATCH" })
        {
            foreach (var path in new[] { "/api/auth/login", "/api/tasks", "/api/tasks/1/status" })
            {
                var route = routes.First(r => r.Maps("match").Any(m => Matches(m, path, method)));
                Assert.True(route.At("retries", "attempts") is 0L, $"{method} {path} must not be retried (route {route.Str("name")})");
            }
        }

        Assert.All(routes.Where(r => r.At("route") is not null), r => Assert.NotNull(r.Str("timeout")));
    }

    [Fact]
    public void The_live_stream_has_its_own_route_first_without_timeout_or_retries()
    {
        var routes = Assert.Single(Istio.OfKind("VirtualService")).Maps("spec", "http").ToList();
        Dictionary<string, object?> RouteFor(string path, string method) => routes.First(r => r.Maps("match").Any(m => Matches(m, path, method)));

        var stream = RouteFor("/api/tasks/stream", "GET");
        Assert.Equal("tasks.taskmanagement.svc.cluster.local", stream.Maps("route").Single().Str("destination", "host"));
        // 0s switches Envoy's route timeout off; the tasks routes' 15s would cut every stream.
        Assert.Equal("0s", stream.Str("timeout"));
        Assert.True(stream.At("retries", "attempts") is 0L, "the browser resumes a stream itself (Last-Event-ID)");

        // Only that path: every other tasks request keeps the general routes' timeout.
        foreach (var (path, method) in new[] { ("/api/tasks", "GET"), ("/api/tasks/42", "GET"), ("/api/tasks/streams", "GET"), ("/api/tasks/stream/1", "GET"), ("/api/tasks/42", "PUT") })
        {
            var route = RouteFor(path, method);
            Assert.NotSame(stream, route);
            Assert.Equal("15s", route.Str("timeout"));
        }
    }

    [Fact]
    public void Tasks_connections_carry_many_live_streams_and_outlast_the_heartbeat()
    {
        var http = Istio.OfKind("DestinationRule").Single(dr => dr.Str("spec", "host") == "tasks.taskmanagement.svc.cluster.local")
            .Map("spec", "trafficPolicy", "connectionPool", "http");

        // A stream is one long request: over HTTP/1.1 each would take one of maxConnections for its whole life.
        Assert.Equal("UPGRADE", http.Str("h2UpgradePolicy"));
        // The idle timeout counts only while no request is open, and is still above the 20 s heartbeat.
        Assert.True(Duration(http.Str("idleTimeout")) > 2 * Heartbeat, $"idleTimeout {http.Str("idleTimeout")} is not above the heartbeat");
    }

    [Fact]
    public void Gateway_listens_on_80_and_443_with_a_tls_credential()
    {
        var gateway = Assert.Single(Istio.OfKind("Gateway"));
        Assert.Equal("istio-system", gateway.Namespace());
        Assert.Equal("ingressgateway", gateway.Str("spec", "selector", "istio"));
        var servers = gateway.Maps("spec", "servers").ToList();
        Assert.Contains(servers, s => Equals(s.At("port", "number"), 80L) && s.Str("port", "protocol") == "HTTP");
        var https = servers.Single(s => Equals(s.At("port", "number"), 443L));
        Assert.Equal("HTTPS", https.Str("port", "protocol"));
        Assert.False(string.IsNullOrEmpty(https.Str("tls", "credentialName")));
    }

    [Fact]
    public void Jwt_is_checked_at_the_gateway_against_auth_jwks_fetched_by_envoy()
    {
        var ra = Assert.Single(Istio.OfKind("RequestAuthentication"));
        Assert.Equal("istio-system", ra.Namespace());
        var rule = Assert.Single(ra.Maps("spec", "jwtRules"));
        Assert.Equal("https://taskmanagement.example.com/api/auth", rule.Str("issuer"));
        Assert.Contains("taskmanagement-api", rule.List("audiences").Select(x => x?.ToString()));
        Assert.Equal("http://auth.taskmanagement.svc.cluster.local:8080/api/auth/.well-known/jwks.json", rule.Str("jwksUri"));
        Assert.True(rule.At("forwardOriginalToken") is true);

        // The istiod-cannot-fetch-under-STRICT fix: Envoy fetches the JWKS.
        var env = IstioOperator().Map("spec", "values", "pilot", "env");
        Assert.True(env.Str("PILOT_JWT_ENABLE_REMOTE_JWKS") is "envoy" or "hybrid");

        // Token-less requests to protected paths are denied (except CORS preflights).
        var deny = Istio.OfKind("AuthorizationPolicy").Single(p => p.Name() == "taskmanagement-require-jwt");
        Assert.Equal("DENY", deny.Str("spec", "action"));
        var r = Assert.Single(deny.Maps("spec", "rules"));
        Assert.Equal(["*"], r.Maps("from").Single().List("source", "notRequestPrincipals").Select(x => x?.ToString()));
        var op = r.Maps("to").Single().Map("operation");
        Assert.Contains("/api/tasks/*", op.List("paths").Select(x => x?.ToString()));
        Assert.Contains("/api/tasks", op.List("paths").Select(x => x?.ToString()));
        Assert.Equal(["OPTIONS"], op.List("notMethods").Select(x => x?.ToString()));
    }

    [Fact]
    public void Ingress_gateway_is_a_nodeport_service_30080_30443_with_cni_and_held_proxies()
    {
        var iop = IstioOperator();
        var gateway = Assert.Single(iop.Maps("spec", "components", "ingressGateways"));
        Assert.Equal("istio-ingressgateway", gateway.Str("name"));   // => SA istio-ingressgateway-service-account
        var service = gateway.Map("k8s", "service");
        Assert.Equal("NodePort", service.Str("type"));
        var ports = service.Maps("ports").ToList();
        Assert.Contains(ports, p => Equals(p.At("port"), 80L) && Equals(p.At("targetPort"), 8080L) && Equals(p.At("nodePort"), 30080L));
        Assert.Contains(ports, p => Equals(p.At("port"), 443L) && Equals(p.At("targetPort"), 8443L) && Equals(p.At("nodePort"), 30443L));
        Assert.Contains(ports, p => Equals(p.At("port"), 15021L));   // NLB health check target
        Assert.True(iop.At("spec", "components", "cni", "enabled") is true);
        Assert.True(iop.At("spec", "meshConfig", "defaultConfig", "holdApplicationUntilProxyStarts") is true);
    }

    internal static Dictionary<string, object?> IstioOperator() => YamlModel.LoadSingle("istio", "install", "istiooperator.yaml");

    /// <summary>An Istio duration such as <c>60s</c>, <c>500ms</c> or <c>2m</c>.</summary>
    private static TimeSpan Duration(string? text) => text switch
    {
        null => TimeSpan.Zero,
        _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(text[..^2], System.Globalization.CultureInfo.InvariantCulture)),
        _ when text.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ when text.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ when text.EndsWith('h') => TimeSpan.FromHours(double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"not an Istio duration: {text}"),
    };

    private static bool Matches(Dictionary<string, object?> match, string path, string method)
    {
        var uri = match.Map("uri");
        var pathOk = uri.Str("exact") is { } exact ? path == exact
            : uri.Str("prefix") is { } prefix && path.StartsWith(prefix, StringComparison.Ordinal);
        var regex = match.Str("method", "regex");
        var methodOk = regex is null || System.Text.RegularExpressions.Regex.IsMatch(method, "^(" + regex + ")$");
        return pathOk && methodOk;
    }
}
