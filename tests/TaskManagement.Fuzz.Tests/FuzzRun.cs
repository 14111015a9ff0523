using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// Runs a generator case by case, each from its own PCG seed, and collects every broken rule into
/// groups (channel, route, rule, status) instead of stopping at the first: one run shows all defects,
/// each with its smallest request and the seed that reproduces it.
/// </summary>
/// <remarks>
/// <c>CsCheck_Seed=&lt;seed&gt;</c> runs from that seed (one case unless <c>CsCheck_Iter</c> says more);
/// <c>CsCheck_Iter=&lt;n&gt;</c> changes the number of cases. The default seed is fixed, so CI is deterministic.
/// </remarks>
public sealed partial class FuzzRun(FuzzStack stack, ITestOutputHelper output)
{
    private sealed class Group(string key)
    {
        public string Key { get; } = key;

        public int Count { get; set; }

        public FuzzCase Case { get; set; } = null!;

        public Outcome Outcome { get; set; } = null!;

        public string Seed { get; set; } = "";

        public string Detail { get; set; } = "";
    }

    public async Task RunAsync(string test, Gen<FuzzCase> gen, Channel channel, int iterations, string defaultSeed)
    {
        var seedOverride = Environment.GetEnvironmentVariable("CsCheck_Seed");
        var seed = string.IsNullOrWhiteSpace(seedOverride) ? defaultSeed : seedOverride.Trim();
        var iterOverride = Environment.GetEnvironmentVariable("CsCheck_Iter");
        var count = int.TryParse(iterOverride, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : string.IsNullOrWhiteSpace(seedOverride) ? iterations : 1;

        var master = PCG.Parse(seed);
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failedCases = 0;
        var slow = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        (stack.SendTime, stack.SnapshotTime) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            // Case 0 is the seed itself; later cases get seeds drawn from it, each printable and replayable alone.
            var pcg = i == 0 ? PCG.Parse(seed) : new PCG(master.Stream, master.Next64());
            var caseSeed = pcg.ToString();
            var c = gen.Generate(pcg, null, out _);
            var started = Stopwatch.GetTimestamp();
            var outcome = await stack.ExecuteAsync(c, channel);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var slowKey = $"{c.Route.Label} {Family().Replace(c.Mutation, "N")}";
            slow[slowKey] = slow.GetValueOrDefault(slowKey) + elapsed;
            var status = outcome.Response?.Status.ToString(CultureInfo.InvariantCulture) ?? "none";
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            var violations = Oracles.Check(c, outcome, channel, stack);
            if (violations.Count > 0)
            {
                failedCases++;
            }

            foreach (var v in violations)
            {
                // A server-level rejection happens before routing: group it by what was broken, not by route.
                // Within a route, one group per kind of mutation: a 500 from a bad token and one from a bad body differ.
                var family = Family().Replace(c.Mutation.Split(':', ';')[0], "N");
                var where = v.Kind.StartsWith("4xx with an empty body", StringComparison.Ordinal)
                    ? $"any route, {family}"
                    : $"{c.Route.Label}, {family}";
                var key = $"[{v.Kind}] {where} → {status}";
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = new Group(key);
                }

                group.Count++;
                if (group.Case is null || outcome.Request.Length < group.Outcome.Request.Length)
                {
                    // The smallest request of the group is the one to reproduce.
                    (group.Case, group.Outcome, group.Seed, group.Detail) = (c, outcome, caseSeed, v.Detail);
                }
            }
        }

        Assert.True(await stack.MainUserAliveAsync(), $"{test}: a case deleted the main user or changed its password; the run is void.");
        var summary = $"{test} ({channel}): {count} cases from seed {seed} in {clock.Elapsed.TotalSeconds:0.0}s "
            + $"(requests {stack.SendTime.TotalSeconds:0.0}s, snapshots {stack.SnapshotTime.TotalSeconds:0.0}s); "
            + $"statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}; {failedCases} failing cases in {groups.Count} groups.";
        output.WriteLine(summary);
        output.WriteLine("slowest: " + string.Join("; ", slow.OrderByDescending(s => s.Value).Take(8).Select(s => $"{s.Key} {s.Value.TotalSeconds:0.0}s")));
        if (groups.Count == 0)
        {
            return;
        }

        var report = new StringBuilder().AppendLine(summary).AppendLine();
        foreach (var group in groups.Values.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var r = group.Outcome.Response;
            report.AppendLine(CultureInfo.InvariantCulture, $"{group.Key}   ({group.Count} cases)")
                .AppendLine(CultureInfo.InvariantCulture, $"  mutation: {group.Case.Mutation}; credential {group.Case.Credential}")
                .AppendLine(CultureInfo.InvariantCulture, $"  detail:   {group.Detail}")
                .AppendLine(CultureInfo.InvariantCulture, $"  replay:   CsCheck_Seed={group.Seed} dotnet test tests/TaskManagement.Fuzz.Tests --filter \"FullyQualifiedName~{test}\"")
                .AppendLine("  request:  " + RequestBytes.Display(group.Outcome.Shown))
                .AppendLine(r is null
                    ? $"  answer:   {group.Outcome.NoAnswer}"
                    : $"  answer:   {r.Status} {r.Header("Content-Type") ?? "(no Content-Type)"} {Oracles.Excerpt(r, 200)}")
                .AppendLine();
        }

        // The whole report also goes to a file: CI logs cut long messages.
        var artifacts = Path.Combine(TaskManagement.Testing.Infrastructure.RepositoryRoot, ".artifacts", "fuzz");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, $"{test}.txt"), report.ToString());
        Assert.Fail(report.ToString());
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\d+")]
    private static partial System.Text.RegularExpressions.Regex Family();
}
