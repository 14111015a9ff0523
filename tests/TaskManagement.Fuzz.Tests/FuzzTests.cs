using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// Hostile requests for every Auth and Tasks route, sent straight to each service and through the Web
/// gateway: broken and overlong UTF-8, lone surrogates, wrong JSON types, duplicate keys, deep nesting,
/// huge numbers, control characters, odd methods, headers, paths, queries, framing and tokens.
/// 4 × 1,300 = 5,200 seeded cases in the default run; a failure prints each group's seed.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class FuzzTests(FuzzStack stack, ITestOutputHelper output) : IClassFixture<FuzzStack>
{
    public const int CasesPerTest = 1300;

    [Fact]
    public Task Auth_routes_directly() => RunAsync(Service.Auth, Channel.Direct, "4uthDirect00");

    [Fact]
    public Task Auth_routes_through_the_gateway() => RunAsync(Service.Auth, Channel.Gateway, "4uthGateway0");

    [Fact]
    public Task Tasks_routes_directly() => RunAsync(Service.Tasks, Channel.Direct, "6asksDirect0");

    [Fact]
    public Task Tasks_routes_through_the_gateway() => RunAsync(Service.Tasks, Channel.Gateway, "6asksGateway");

    /// <summary>Runs <see cref="CasesPerTest"/> cases against the routes of <paramref name="service"/>; <paramref name="test"/> names the report and the replay filter.</summary>
    private Task RunAsync(Service service, Channel channel, string seed, [CallerMemberName] string test = "") =>
        new FuzzRun(stack, output).RunAsync(test, Generators.Case(Generators.RoutesOf(service)), channel, CasesPerTest, seed);
}
