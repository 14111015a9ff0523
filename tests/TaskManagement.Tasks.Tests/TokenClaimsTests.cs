namespace TaskManagement.Tasks.Tests;

/// <summary>A correctly signed token that names no usable user is a 401 problem, never a 500 (issue 9, item 11).</summary>
public sealed class TokenClaimsTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    public static TheoryData<string> Defects => ["no-sub", "sub-abc", "sub-empty", "sub-number", "no-iat"];

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task A_signed_token_without_a_usable_sub_or_iat_is_401_problem_on_every_route(string defect)
    {
        var (userId, username, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Mine" });
        var claims = new Dictionary<string, object> { ["name"] = username };
        switch (defect)
        {
            case "sub-abc": claims["sub"] = "abc"; break;
            case "sub-empty": claims["sub"] = ""; break;
            case "sub-number": claims["sub"] = 42; break;
            case "no-iat": claims["sub"] = userId.ToString(); break;
        }

        var bad = TestTokens.Sign(TestTokens.ServiceKey(fx.Stack.Auth.SigningKeyPath), claims, withIssuedAt: defect != "no-iat");
        var tasksBefore = await fx.Database.CountAsync("tasks");
        var routes = new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/tasks", null), (HttpMethod.Get, "/api/tasks/summary", null), (HttpMethod.Get, $"/api/tasks/{id}", null),
            (HttpMethod.Post, "/api/tasks", new { title = "Forged" }), (HttpMethod.Put, $"/api/tasks/{id}", new { title = "X", priority = "low", status = "pending" }),
            (HttpMethod.Patch, $"/api/tasks/{id}", new { title = "X" }), (HttpMethod.Patch, $"/api/tasks/{id}/status", null), (HttpMethod.Delete, $"/api/tasks/{id}", null),
        };
        foreach (var (method, path, body) in routes)
        {
            using var response = await fx.Client.SendAsync(method, path, bad, body);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{defect} {method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(tasksBefore, await fx.Database.CountAsync("tasks"));

        // The control: the same signing code with a proper sub and iat is accepted.
        var good = TestTokens.Sign(TestTokens.ServiceKey(fx.Stack.Auth.SigningKeyPath), new Dictionary<string, object> { ["sub"] = userId.ToString(), ["name"] = username });
        using var ok = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", good);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
