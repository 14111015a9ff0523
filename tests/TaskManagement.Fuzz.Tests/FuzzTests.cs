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
    public Task Auth_routes_directly() =>
        new FuzzRun(stack, output).RunAsync(nameof(Auth_routes_directly), Generators.Case(Generators.AuthRoutes), Channel.Direct, CasesPerTest, "4uthDirect00");

    [Fact]
    public Task Auth_routes_through_the_gateway() =>
        new FuzzRun(stack, output).RunAsync(nameof(Auth_routes_through_the_gateway), Generators.Case(Generators.AuthRoutes), Channel.Gateway, CasesPerTest, "4uthGateway0");

    [Fact]
    public Task Tasks_routes_directly() =>
        new FuzzRun(stack, output).RunAsync(nameof(Tasks_routes_directly), Generators.Case(Generators.TasksRoutes), Channel.Direct, CasesPerTest, "6asksDirect0");

    [Fact]
    public Task Tasks_routes_through_the_gateway() =>
        new FuzzRun(stack, output).RunAsync(nameof(Tasks_routes_through_the_gateway), Generators.Case(Generators.TasksRoutes), Channel.Gateway, CasesPerTest, "6asksGateway");
}
