using System.Text.RegularExpressions;
using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>dapr.yaml, docker-compose.yml, the Dockerfile and secret hygiene, checked against the solution.</summary>
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
            Assert.Equal("Dockerfile", app.Str("build", "dockerfile"));
            Assert.Equal(project, "TaskManagement." + app.Str("build", "args", "SERVICE"));
            Assert.Null(app.At("build", "target"));   // the default target: the runtime image
            Assert.Equal(".", app.Str("build", "context"));
            Assert.True(File.Exists(Repo.PathOf("Dockerfile")));
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
    public void Dockerfile_builds_each_service_multi_stage_pinned_chiseled_and_non_root(string project)
    {
        var dockerfile = DockerfileModel.Load();
        var service = project["TaskManagement.".Length..];
        Assert.Contains("SERVICE", dockerfile.GlobalArgNames);
        Assert.True(dockerfile.Stages.Count >= 3, "multi-stage build expected");
        Assert.All(dockerfile.ExternalImages(service), ImageRules.AssertPinned);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.ExternalImages(service));

        // The default target (the last stage) is the service's runtime image.
        var final = dockerfile.Stages[^1];
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", dockerfile.BaseImage(final.Name, service));
        var runtime = dockerfile.Chain(final.Name, service);
        var runtimeText = string.Concat(runtime.Select(s => s.Text));
        Assert.Matches(@"(?m)^USER 1654$", runtimeText);
        Assert.Equal($"[\"dotnet\", \"{project}.dll\"]", DockerfileModel.EntryPoint(runtime));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", runtimeText, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", runtimeText, StringComparison.Ordinal);
        Assert.DoesNotContain("RUN ", runtimeText, StringComparison.Ordinal);   // no shell in chiseled images
        Assert.Contains("COPY --from=build /out/app", runtimeText, StringComparison.Ordinal);

        // The build publishes this service's project, after a restore that saw the central package
        // management files and every project file under services/ (so any ProjectReference resolves).
        var build = dockerfile.Chain("build", service);
        var buildText = string.Concat(build.Select(s => DockerfileModel.ForService(s, service)));
        Assert.Contains($"dotnet publish services/{project}/{project}.csproj", buildText, StringComparison.Ordinal);
        Assert.True(File.Exists(Repo.PathOf("services", project, project + ".csproj")));
        var restoreStage = DockerfileModel.ForService(build.Single(s => s.Text.Contains("dotnet restore", StringComparison.Ordinal)), service);
        var restoreCommand = restoreStage.IndexOf($"dotnet restore services/{project}/{project}.csproj", StringComparison.Ordinal);
        Assert.True(restoreCommand > 0, "the restore stage restores " + project);
        foreach (var input in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "COPY --from=projectfiles /src/services/ services/" })
        {
            Assert.Contains(input, restoreStage[..restoreCommand], StringComparison.Ordinal);
        }

        var projectFiles = dockerfile.Stage("projectfiles").Text;
        Assert.Contains("COPY services/ services/", projectFiles, StringComparison.Ordinal);
        Assert.Contains("find services -type f ! -name '*.csproj' -delete", projectFiles, StringComparison.Ordinal);
        Assert.All(ProjectReferences(Repo.PathOf("services", project, project + ".csproj")),
            reference => Assert.StartsWith(Repo.PathOf("services") + "/", reference, StringComparison.Ordinal));

        var needed = dockerfile.Closure(final.Name, service);
        if (project == "TaskManagement.Web")
        {
            Assert.Contains("clientapp", needed);
            var clientapp = dockerfile.Stage("clientapp");
            Assert.StartsWith("node:20", dockerfile.BaseImage("clientapp", service), StringComparison.Ordinal);
            Assert.Contains("npm ci", clientapp.Text, StringComparison.Ordinal);
            Assert.Contains("RUN npm run build", clientapp.Text, StringComparison.Ordinal);
            Assert.Contains(build, s => s.Text.Contains("COPY --from=clientapp", StringComparison.Ordinal));
            Assert.DoesNotContain("Database__MigrateOnStartup", runtimeText, StringComparison.Ordinal);
        }
        else
        {
            // Auth and Tasks never build the front end, never migrate on startup, and ship an EF Core bundle.
            Assert.DoesNotContain("clientapp", needed);
            Assert.Contains("Database__MigrateOnStartup=false", runtimeText, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Repo.PathOf("services", project, "Data", "Migrations")));
            Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0", dockerfile.BaseImage("migrations", service), StringComparison.Ordinal);
            var migrations = dockerfile.Chain("migrations", service);
            Assert.Matches(@"(?m)^USER 1654$", migrations[0].Text);
            Assert.Contains("ENTRYPOINT [\"/app/efbundle\"]", migrations[0].Text, StringComparison.Ordinal);
            var bundle = DockerfileModel.ForService(dockerfile.Stage("bundle"), service);
            Assert.Contains("bundle", dockerfile.Closure("migrations", service));
            Assert.Contains("build", dockerfile.Chain("bundle", service).Select(s => s.Name));
            Assert.Contains("dotnet tool install --global dotnet-ef --version 9.0.*", bundle, StringComparison.Ordinal);
            Assert.Contains($"migrations bundle --project services/{project} --startup-project services/{project}", bundle, StringComparison.Ordinal);
            Assert.Contains("-o /out/efbundle", bundle, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_image_build_names_its_service_and_the_image_after_it()
    {
        // docker build lines in the workflows, the docs and the Dockerfile's own header.
        var sources = new[] { Repo.PathOf(".github", "workflows", "mesh.yml"), Repo.PathOf("docs", "deployment.md"), Repo.PathOf("Dockerfile") };
        var builds = sources.SelectMany(f => DockerBuild().Matches(File.ReadAllText(f))).ToList();
        Assert.Equal(15, builds.Count);   // 5 images x 3 places
        foreach (var build in builds)
        {
            Assert.Equal(ImageName(build.Groups["service"].Value, build.Groups["target"].Value), build.Groups["image"].Value);
        }

        var ci = YamlModel.LoadSingle(".github", "workflows", "ci.yml").Map("jobs", "images");
        foreach (var entry in ci.Maps("strategy", "matrix", "include"))
        {
            Assert.Equal(ImageName(entry.Str("service")!, entry.Str("target")!), entry.Str("image"));
        }

        Assert.Equal("${{ matrix.service }}", ci.Str("env", "SERVICE"));
        Assert.Contains(ci.Maps("steps"), s => s.Str("run")?.Contains("--build-arg \"SERVICE=$SERVICE\"", StringComparison.Ordinal) == true);
        Assert.Empty(Directory.GetFiles(Repo.PathOf("services"), "Dockerfile", SearchOption.AllDirectories));
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
            .Append(Repo.PathOf("Dockerfile"));
        foreach (var file in files)
        {
            Assert.DoesNotMatch(PrivateKey(), File.ReadAllText(file));
        }
    }

    private static string ImageName(string service, string target) =>
        service.ToLowerInvariant() + (target == "migrations" ? "-migrations" : string.Empty);

    private static IEnumerable<string> ProjectReferences(string csproj)
    {
        var dir = Path.GetDirectoryName(csproj)!;
        return System.Xml.Linq.XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(dir, r.Attribute("Include")!.Value)))
            .SelectMany(r => ProjectReferences(r).Prepend(r));
    }

    [GeneratedRegex(@"--project\s+(\S+)")]
    private static partial Regex CommandProject();

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?\}")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"docker build --build-arg SERVICE=(?<service>\w+) +(?:--target (?<target>\S+) +)?-t taskmanagement/(?<image>[\w-]+):")]
    private static partial Regex DockerBuild();

    [GeneratedRegex("-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();
}
