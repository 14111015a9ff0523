# syntax=docker/dockerfile:1.7
# One image recipe for every service. Build from the repository root; SERVICE picks the project
# (TaskManagement.$SERVICE) and, through the `*-auth|tasks|web` stages below, what only that service has:
#   docker build --build-arg SERVICE=Auth  -t taskmanagement/auth:0.1.0 .
#   docker build --build-arg SERVICE=Auth  --target migrations -t taskmanagement/auth-migrations:0.1.0 .
#   docker build --build-arg SERVICE=Tasks -t taskmanagement/tasks:0.1.0 .
#   docker build --build-arg SERVICE=Tasks --target migrations -t taskmanagement/tasks-migrations:0.1.0 .
#   docker build --build-arg SERVICE=Web   -t taskmanagement/web:0.1.0 .
# BuildKit builds only the stages the chosen target needs (Auth never runs the node stage) and
# matches stage names case-insensitively (`FROM sources-${SERVICE}` with Auth finds `sources-auth`).
# Tags are pinned (no `latest`); bump them deliberately.
ARG SERVICE
ARG NODE_IMAGE=node:20.19-bookworm-slim
ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
ARG DOTNET_RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

# ---- project files only: every *.csproj under services/, in its folder. A new project (or a new
#      ProjectReference) needs no edit here. This stage re-runs on any source change, but its output
#      changes only with a project file, so the restore below stays cached across code edits. ----
FROM ${DOTNET_SDK_IMAGE} AS projectfiles
WORKDIR /src
COPY services/ services/
RUN find services -type f ! -name '*.csproj' -delete && find services -type d -empty -delete

# ---- restore: only the files that decide the package graph, so this layer caches well ----
FROM ${DOTNET_SDK_IMAGE} AS restore
ARG SERVICE
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY --from=projectfiles /src/services/ services/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore services/TaskManagement.${SERVICE}/TaskManagement.${SERVICE}.csproj -r linux-x64

# ---- sources: all of services/ (not only the chosen project's references), so new projects need no
#      edit here either. The price: an edit in any service invalidates this layer for every image; the
#      restore layer above, the slow one, is unaffected. ----
FROM restore AS sources
COPY services/ services/

FROM sources AS sources-auth
FROM sources AS sources-tasks

# Web serves the SPA: its wwwroot comes from the node stage (.dockerignore keeps node_modules and any
# local wwwroot out of the context).
FROM ${NODE_IMAGE} AS clientapp
WORKDIR /src/services/TaskManagement.Web/ClientApp
COPY services/TaskManagement.Web/ClientApp/package.json services/TaskManagement.Web/ClientApp/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY services/TaskManagement.Web/ClientApp/ ./
RUN npm run build && test -f ../wwwroot/index.html

FROM sources AS sources-web
COPY --from=clientapp /src/services/TaskManagement.Web/wwwroot/ services/TaskManagement.Web/wwwroot/

# ---- build + publish the chosen service ----
FROM sources-${SERVICE} AS build
ARG SERVICE
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish services/TaskManagement.${SERVICE}/TaskManagement.${SERVICE}.csproj -c Release -r linux-x64 \
      --self-contained false --no-restore -o /out/app /p:UseAppHost=false

# ---- health probe: the chiseled image has no shell or curl, so HEALTHCHECK runs this tiny
#      console app with the `dotnet` host that the runtime image already contains ----
FROM ${DOTNET_SDK_IMAGE} AS healthprobe
WORKDIR /probe
RUN dotnet new console --framework net10.0 --name healthprobe --output . >/dev/null
COPY <<'CS' /probe/Program.cs
// Exit 0 when the URL (default: liveness) answers 2xx within 3 s, else 1.
using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
try
{
    var url = args.Length > 0 ? args[0] : "http://127.0.0.1:8080/health/live";
    using var response = await client.GetAsync(new Uri(url));
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception)
{
    return 1;
}
CS
RUN dotnet publish -c Release -o /out/healthprobe /p:UseAppHost=false /p:InvariantGlobalization=true

# ---- EF Core migration bundle (self-contained executable, run by the Kubernetes migration Job).
#      Auth and Tasks own a database; Web has no migrations, so this target fails for it. ----
FROM build AS bundle
ARG SERVICE
# dotnet-ef 9 matches EF Core 9 (Pomelo 9); it targets an older runtime, so let it roll forward.
ENV PATH="${PATH}:/root/.dotnet/tools" DOTNET_ROLL_FORWARD=Major
RUN dotnet tool install --global dotnet-ef --version 9.0.*
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet ef migrations bundle --project services/TaskManagement.${SERVICE} --startup-project services/TaskManagement.${SERVICE} \
      --configuration Release --self-contained -r linux-x64 -o /out/efbundle --force

# Target `migrations`: `/app/efbundle --connection "$(ConnectionStrings__Database)"`
# (the Jobs in k8s/base/apps/migrations.yaml).
FROM ${DOTNET_RUNTIME_DEPS_IMAGE} AS migrations
WORKDIR /app
COPY --from=bundle --chown=1654:1654 /out/efbundle /app/efbundle
USER 1654
ENTRYPOINT ["/app/efbundle"]

# ---- runtime: chiseled = no shell, no package manager, non-root uid 1654 ----
FROM ${DOTNET_RUNTIME_IMAGE} AS runtime
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
COPY --from=build /out/app ./
COPY --from=healthprobe /out/healthprobe /healthprobe
USER 1654
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/healthprobe/healthprobe.dll", "http://127.0.0.1:8080/health/live"]

# The entry points are spelled out per service: the exec form of ENTRYPOINT does not expand ARGs.
# The database-owning services migrate through the `migrations` target, never on startup.
FROM runtime AS final-auth
ENV Database__MigrateOnStartup=false
ENTRYPOINT ["dotnet", "TaskManagement.Auth.dll"]

FROM runtime AS final-tasks
ENV Database__MigrateOnStartup=false
ENTRYPOINT ["dotnet", "TaskManagement.Tasks.dll"]

# Web has no database and starts faster.
FROM runtime AS final-web
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "/healthprobe/healthprobe.dll", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "TaskManagement.Web.dll"]

# ---- default target: the chosen service's runtime image ----
FROM final-${SERVICE} AS final
