using System.Text.Json;
using System.Text.Json.Nodes;
using TaskManagement.Testing;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The browser app's API types are generated (openapi-typescript) from the services' OpenAPI documents,
/// which are committed in <c>ClientApp/openapi/</c>. These tests fail when either drifts: the live
/// documents of the real Auth and Tasks differ from the committed ones, or a fresh openapi-typescript
/// run differs from the committed <c>src/api/generated/*.ts</c>. <c>scripts/build-web.sh --update-api</c>
/// refreshes both (it runs the first test with <see cref="UpdateVariable"/> set).
/// </summary>
public sealed class ApiContractTests
{
    /// <summary>Set to 1 to write the live documents instead of comparing them.</summary>
    public const string UpdateVariable = "TASKMGMT_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string DocumentsDirectory => Path.Combine(WebAssets.RepositoryRoot, "services", "TaskManagement.Web", "ClientApp", "openapi");

    [Fact]
    public async Task The_committed_OpenAPI_documents_are_the_ones_the_services_serve()
    {
        await using var stack = await TaskStack.StartAsync();
        var update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";

        foreach (var (name, client) in new[] { ("auth", stack.AuthClient), ("tasks", stack.TasksClient) })
        {
            var live = Normalize(await client.GetStringAsync("/openapi/v1.json"));
            var file = Path.Combine(DocumentsDirectory, $"{name}.json");
            if (update)
            {
                Directory.CreateDirectory(DocumentsDirectory);
                await File.WriteAllTextAsync(file, live);
                continue;
            }

            Assert.True(File.Exists(file), $"{file} is missing: run scripts/build-web.sh --update-api");
            var committed = await File.ReadAllTextAsync(file);
            Assert.True(committed == live,
                $"ClientApp/openapi/{name}.json differs from the document {name} serves: run scripts/build-web.sh --update-api and commit the result.");
        }
    }

    [Fact]
    public async Task The_committed_API_types_are_what_openapi_typescript_generates()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        var (exitCode, output) = await WebAssets.RunBuildScriptAsync(["--check-api"], timeout.Token);

        Assert.True(exitCode == 0, $"scripts/build-web.sh --check-api failed (exit {exitCode}):\n{output}");
    }

    /// <summary>The document without <c>servers</c> (it names the port the test host happened to get), indented, LF.</summary>
    private static string Normalize(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
