using System.Text.RegularExpressions;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>dapr.yaml, docker-compose.yml, the Dockerfiles and secret hygiene, checked against the solution.</summary>
public sealed partial class LocalRunFilesTests
{
    /// <summary>app-id -> (project, local port). In containers every app listens on 8080.</summary>
    private static readonly Dictionary<string, (string Project, long Port)> Apps = new(StringComparer.Ordinal)
    {
        ["auth"] = ("TaskManagement.Auth", 5101),
        ["tasks"] = ("TaskManagement.Tasks", 5102),
        ["web"] = ("TaskManagement.Web", 8080),
    };

    private static readonly string[] DeploymentDirs = ["components", "k8s", "istio", "tests/mesh", ".github", "docs"];
    private static readonly string[] DeploymentFiles = ["docker-compose.yml", ".env.example", "dapr.yaml"];

    public static TheoryData<string> Projects => new() { "TaskManagement.Auth", "TaskManagement.Tasks", "TaskManagement.Web" };

    [Fact]
    public void Dapr_run_file_starts_each_solution_project_on_its_local_port()
    {
        var run = YamlModel.LoadSingle("dapr.yaml");
        Assert.Equal(1L, run.At("version"));
        var apps = run.Maps("apps").ToList();
        Assert.Equal(Apps.Keys.Order(StringComparer.Ordinal), apps.Select(a => a.Str("appID")!).Order(StringComparer.Ordinal));
        var sln = Repo.ReadText("TaskManagement.sln");
        foreach (var app in apps)
        {
            var (project, port) = Apps[app.Str("appID")!];
            var dir = Path.GetFullPath(Path.Combine(Repo.Root, app.Str("appDirPath")!));
            Assert.Equal(Repo.PathOf("services", project), dir.TrimEnd('/'));
            Assert.Contains($"services\\{project}\\{project}.csproj", sln, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, project + ".csproj")));
            Assert.Equal(port, app.At("appPort"));
            Assert.Equal($"http://localhost:{port}", app.Str("env", "ASPNETCORE_URLS"));
            var command = string.Join(' ', app.List("command").Select(c => c?.ToString()));
            var projectArg = CommandProject().Match(command);
            Assert.True(projectArg.Success, $"{app.Str("appID")}: command does not `dotnet run --project`");
            Assert.Equal(dir.TrimEnd('/'), Path.GetFullPath(Path.Combine(dir, projectArg.Groups[1].Value)).TrimEnd('/'));

            // A launch profile, when present, agrees with the port.
            var launch = Repo.PathOf("services", project, "Properties", "launchSettings.json");
            if (File.Exists(launch))
            {
                Assert.Contains($"localhost:{port}", File.ReadAllText(launch), StringComparison.Ordinal);
            }
        }

        // Distinct sidecar ports per app.
        foreach (var key in new[] { "daprHTTPPort", "daprGRPCPort", "metricsPort" })
        {
            var ports = apps.Select(a => a.At(key)).ToList();
            Assert.All(ports, p => Assert.IsType<long>(p));
            Assert.Equal(ports.Count, ports.Distinct().Count());
        }

        // Common resource paths exist and hold the shared pub/sub and the local secret store.
        var paths = run.List("common", "resourcesPaths").Select(p => Path.GetFullPath(Path.Combine(Repo.Root, p!.ToString()!))).ToList();
        Assert.Contains(Repo.PathOf("components"), paths.Select(p => p.TrimEnd('/')));
        Assert.All(paths, p => Assert.True(Directory.Exists(p), p));
        Assert.True(File.Exists(Path.Combine(Repo.Root, run.Str("common", "configFilePath")!)));
        Assert.Equal("Development", run.Str("common", "env", "ASPNETCORE_ENVIRONMENT"));
        Assert.Equal("http://localhost:5101/api/auth", apps.Single(a => a.Str("appID") == "tasks").Str("env", "Jwt__Authority"));
        Assert.Equal("http://localhost:5102", apps.Single(a => a.Str("appID") == "web").Str("env", "Gateway__TasksUrl"));
    }

    [Fact]
    public void Compose_runs_each_app_beside_a_daprd_sidecar_from_its_dockerfile()
    {
        var compose = YamlModel.LoadSingle("docker-compose.yml");
        var services = compose.Map("services");
        var sln = Repo.ReadText("TaskManagement.sln");
        foreach (var (appId, (project, _)) in Apps)
        {
            var app = services.Map(appId);
            var dockerfile = app.Str("build", "dockerfile")!;
            Assert.Equal($"services/{project}/Dockerfile", dockerfile);
            Assert.Equal(".", app.Str("build", "context"));
            Assert.True(File.Exists(Repo.PathOf(dockerfile)));
            Assert.Contains($"services\\{project}\\{project}.csproj", sln, StringComparison.Ordinal);
            Assert.Equal("8080", app.Str("environment", "ASPNETCORE_HTTP_PORTS"));
            Assert.Contains("/health/ready", string.Join(' ', app.List("healthcheck", "test")), StringComparison.Ordinal);

            var sidecar = services.Map(appId + "-dapr");
            Assert.Equal($"service:{appId}", sidecar.Str("network_mode"));
            var args = sidecar.List("command").Select(c => c!.ToString()!).ToList();
            Assert.Equal(appId, args[args.IndexOf("--app-id") + 1]);
            Assert.Equal("8080", args[args.IndexOf("--app-port") + 1]);
            Assert.Equal(app.Str("environment", "DAPR_HTTP_PORT"), args[args.IndexOf("--dapr-http-port") + 1]);
            Assert.Contains("./components:/components:ro", sidecar.List("volumes").Select(v => v?.ToString()));
            ImageRules.AssertPinned(sidecar.Str("image")!);
        }

        // Startup order is health-checked: apps wait for healthy MySQL and RabbitMQ; tasks waits for auth (JWKS).
        foreach (var appId in new[] { "auth", "tasks" })
        {
            Assert.Equal("service_healthy", services.Str(appId, "depends_on", "mysql", "condition"));
            Assert.Equal("service_healthy", services.Str(appId, "depends_on", "rabbitmq", "condition"));
        }

        Assert.Equal("service_healthy", services.Str("tasks", "depends_on", "auth", "condition"));
        Assert.Equal("http://auth:8080/api/auth", services.Str("tasks", "environment", "Jwt__Authority"));
        Assert.NotNull(services.At("mysql", "healthcheck"));
        Assert.NotNull(services.At("rabbitmq", "healthcheck"));
        Assert.StartsWith("mysql:8.0", services.Str("mysql", "image"), StringComparison.Ordinal);
        Assert.Contains("management", services.Str("rabbitmq", "image"), StringComparison.Ordinal);
        Assert.Contains("mysql-data", compose.Map("volumes").Keys);
        Assert.Contains("rabbitmq-data", compose.Map("volumes").Keys);

        // Observability profile: Prometheus scraping every app, Grafana with the shared dashboard.
        Assert.Equal(["observability"], services.List("prometheus", "profiles").Select(x => x?.ToString()));
        Assert.Equal(["observability"], services.List("grafana", "profiles").Select(x => x?.ToString()));
        var scrape = compose.Str("configs", "prometheus-config", "content")!;
        Assert.All(Apps.Keys, a => Assert.Contains($"{a}:8080", scrape, StringComparison.Ordinal));
        Assert.Contains(services.List("grafana", "volumes").Select(v => v?.ToString()), v => v!.StartsWith("./k8s/base/monitoring/dashboards:", StringComparison.Ordinal));

        Assert.All(services.Values.Select(s => s.Str("image")).OfType<string>(), ImageRules.AssertPinned);
    }

    [Fact]
    public void Compose_secrets_come_from_env_whose_example_is_committed_and_marked()
    {
        var text = Repo.ReadText("docker-compose.yml");
        var example = Repo.ReadText(".env.example");
        var variables = ComposeVariable().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(variables);
        foreach (var variable in variables)
        {
            Assert.Matches(new Regex($"(?m)^{variable}="), example);
        }

        foreach (var line in example.Split('\n').Where(l => l.Contains("PASSWORD=", StringComparison.Ordinal)))
        {
            Assert.Contains("EXAMPLEONLY", line, StringComparison.Ordinal);
        }

        Assert.Matches(new Regex(@"(?m)^\.env$"), Repo.ReadText(".gitignore"));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Dockerfiles_are_multi_stage_pinned_chiseled_and_non_root(string project)
    {
        var text = Repo.ReadText("services", project, "Dockerfile");
        var args = DockerArg().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var froms = DockerFrom().Matches(text).Select(m => (Image: Expand(m.Groups[1].Value, args), Stage: m.Groups[2].Value)).ToList();
        Assert.True(froms.Count >= 3, "multi-stage build expected");
        Assert.All(froms.Where(f => !f.Image.Contains(' ', StringComparison.Ordinal) && f.Image.Contains(':', StringComparison.Ordinal) || f.Image.Contains('/', StringComparison.Ordinal)),
            f => ImageRules.AssertPinned(f.Image));
        Assert.Contains(froms, f => f.Image == "mcr.microsoft.com/dotnet/sdk:10.0");
        var final = froms[^1];
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", final.Image);
        var finalStage = text[text.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^USER 1654$", finalStage);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", finalStage, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", finalStage, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", finalStage, StringComparison.Ordinal);
        Assert.DoesNotContain("RUN ", finalStage, StringComparison.Ordinal);   // no shell in chiseled images

        // Central package management: props, global.json and the dependency projects before restore.
        var restore = text[..text.IndexOf("dotnet restore", StringComparison.Ordinal)];
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props",
                     "TaskManagement.Contracts.csproj", "TaskManagement.ServiceDefaults.csproj", project + ".csproj" })
        {
            Assert.Contains(file, restore, StringComparison.Ordinal);
        }

        if (project == "TaskManagement.Web")
        {
            Assert.Contains(froms, f => f.Image.StartsWith("node:20", StringComparison.Ordinal));
            Assert.Contains("npm ci", text, StringComparison.Ordinal);
            Assert.Contains("npm run build", text, StringComparison.Ordinal);
            Assert.True(text.IndexOf("RUN npm run build", StringComparison.Ordinal) < text.IndexOf("COPY --from=clientapp", StringComparison.Ordinal));
            Assert.True(text.IndexOf("COPY --from=clientapp", StringComparison.Ordinal) < text.IndexOf("dotnet publish services/", StringComparison.Ordinal));
        }
        else
        {
            var migrations = froms.Single(f => f.Stage == "migrations");
            Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0", migrations.Image, StringComparison.Ordinal);
            Assert.Contains("dotnet tool install --global dotnet-ef --version 9.0.*", text, StringComparison.Ordinal);
            Assert.Contains("migrations bundle --project", text, StringComparison.Ordinal);
            Assert.Contains("-o /out/efbundle", text, StringComparison.Ordinal);
            Assert.Contains("/app/efbundle", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dockerignore_keeps_secrets_and_build_output_out_of_the_context()
    {
        var lines = Repo.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new[] { "**/bin/", "**/obj/", "**/node_modules/", ".env", ".data/", ".git/", "**/*.pem" })
        {
            Assert.Contains(entry, lines);
        }

        Assert.DoesNotContain("Directory.Packages.props", lines);
        Assert.DoesNotContain("global.json", lines);
    }

    [Fact]
    public void No_private_key_is_committed_in_deployment_files()
    {
        var roots = DeploymentDirs.Select(r => Repo.PathOf(r)).Where(Directory.Exists);
        var files = roots.SelectMany(r => Directory.GetFiles(r, "*", SearchOption.AllDirectories))
            .Concat(DeploymentFiles.Select(f => Repo.PathOf(f)))
            .Concat(Apps.Values.Select(a => Repo.PathOf("services", a.Project, "Dockerfile")));
        foreach (var file in files)
        {
            Assert.DoesNotMatch(PrivateKey(), File.ReadAllText(file));
        }
    }

    private static string Expand(string image, Dictionary<string, string> args) =>
        DockerArgRef().Replace(image, m => args.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"--project\s+(\S+)")]
    private static partial Regex CommandProject();

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?\}")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"(?m)^ARG ([A-Z_]+)=(\S+)$")]
    private static partial Regex DockerArg();

    [GeneratedRegex(@"(?m)^FROM (\S+)(?: AS (\S+))?$")]
    private static partial Regex DockerFrom();

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex DockerArgRef();

    [GeneratedRegex("-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();
}
