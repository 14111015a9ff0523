using System.Text.RegularExpressions;

namespace TaskManagement.Manifests.Tests.Infrastructure;

/// <summary>
/// The root Dockerfile as its stages, resolved for one build argument <c>SERVICE</c> the way BuildKit does:
/// global ARG defaults expand in FROM, and a FROM naming an earlier stage (case-insensitively) builds on it.
/// </summary>
internal sealed partial class DockerfileModel
{
    private readonly Dictionary<string, string> _globalArgs;

    private DockerfileModel(string text)
    {
        Text = text;
        var firstFrom = DockerFrom().Match(text).Index;
        var globalArgs = DockerArg().Matches(text[..firstFrom]).ToList();
        _globalArgs = globalArgs.Where(m => m.Groups[2].Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        GlobalArgNames = globalArgs.Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var froms = DockerFrom().Matches(text).ToList();
        Stages = froms.Select((m, i) => new DockerStage(
                Name: m.Groups[2].Success ? m.Groups[2].Value : i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                From: m.Groups[1].Value,
                Text: text[m.Index..(i + 1 < froms.Count ? froms[i + 1].Index : text.Length)]))
            .ToList();
    }

    public string Text { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public IReadOnlySet<string> GlobalArgNames { get; }

    public static DockerfileModel Load() => new(Repo.ReadText("Dockerfile"));

    public DockerStage Stage(string name) =>
        Stages.Single(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>External base images: every FROM that is not an earlier stage, with ARG defaults expanded.</summary>
    public IEnumerable<string> ExternalImages(string service) =>
        Stages.Select(s => Expand(s.From, service)).Where(f => !IsStage(f));

    /// <summary>The stage and the stages it builds on, up to the one FROM an external image.</summary>
    public IReadOnlyList<DockerStage> Chain(string stageName, string service)
    {
        var chain = new List<DockerStage> { Stage(stageName) };
        while (IsStage(Expand(chain[^1].From, service)))
        {
            chain.Add(Stage(Expand(chain[^1].From, service)));
        }

        return chain;
    }

    /// <summary>The stages the target needs: its chain and, recursively, every <c>COPY --from</c> source.</summary>
    public IReadOnlySet<string> Closure(string stageName, string service)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([stageName]);
        while (pending.TryPop(out var name))
        {
            foreach (var stage in Chain(name, service).Where(s => seen.Add(s.Name)))
            {
                foreach (Match from in CopyFrom().Matches(stage.Text))
                {
                    pending.Push(from.Groups[1].Value);
                }
            }
        }

        return seen;
    }

    /// <summary>The base image of the chain's root stage, ARG defaults expanded.</summary>
    public string BaseImage(string stageName, string service) => Expand(Chain(stageName, service)[^1].From, service);

    /// <summary>The ENTRYPOINT (exec form) nearest the top of a chain: the one the image runs.</summary>
    public static string? EntryPoint(IEnumerable<DockerStage> chain) =>
        chain.Select(s => EntryPointInstruction().Match(s.Text)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    /// <summary>A stage's text with <c>${SERVICE}</c> replaced, as its RUN steps would see it.</summary>
    public static string ForService(DockerStage stage, string service) =>
        stage.Text.Replace("${SERVICE}", service, StringComparison.Ordinal);

    private bool IsStage(string name) => Stages.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private string Expand(string from, string service) => ArgRef().Replace(from, m =>
        m.Groups[1].Value == "SERVICE" ? service : _globalArgs.GetValueOrDefault(m.Groups[1].Value, m.Value));

    [GeneratedRegex(@"(?m)^ARG ([A-Z_]+)(?:=(\S+))?$")]
    private static partial Regex DockerArg();

    [GeneratedRegex(@"(?m)^ENTRYPOINT (\[.*\])$")]
    private static partial Regex EntryPointInstruction();

    [GeneratedRegex(@"(?m)^FROM (\S+)(?: AS (\S+))?$")]
    private static partial Regex DockerFrom();

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex ArgRef();

    [GeneratedRegex(@"(?m)^COPY --from=([\w.-]+)")]
    private static partial Regex CopyFrom();
}
