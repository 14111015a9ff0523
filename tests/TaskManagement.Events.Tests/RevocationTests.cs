using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit.Abstractions;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Revocation end to end with the real broker (issue 9): after DELETE /api/auth/me or a password change the old
/// token is 401 on Auth at once and on Tasks within a second, on every replica; new tokens work; tasks a deleted
/// user wrote while the broker was down are purged once the event arrives.
/// </summary>
public sealed class RevocationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PropagationLimit = TimeSpan.FromSeconds(1);
    private TaskStack _stack = null!;

    public async Task InitializeAsync() => _stack = await TaskStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Deleting_the_account_revokes_its_token_on_auth_at_once_and_on_tasks_within_a_second()
    {
        var (userId, _, token) = await _stack.NewUserAsync();
        await _stack.TasksClient.CreateTaskAsync(token, new { title = "Before deletion" });

        using (var deleted = await _stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        await AssertRefusedByAuthAsync(token);
        var elapsed = await TimeUntilRefusedAsync(_stack.TasksClient, token, clock);
        output.WriteLine($"Tasks refused the deleted user's token {elapsed.TotalMilliseconds:F0} ms after DELETE /api/auth/me returned");
        Assert.True(elapsed < PropagationLimit, $"took {elapsed.TotalMilliseconds:F0} ms");

        // Once the event is processed no task can be created any more, and the earlier one is purged. The consuming
        // replica refuses the token a moment before the inbox transaction (purge + revocation row) commits, so the
        // purge gets the same one-second bound, counted from the refusal.
        using var create = await _stack.TasksClient.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = "After deletion" });
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        var purgeDeadline = Stopwatch.StartNew();
        long left;
        while ((left = await _stack.TasksDatabase.CountAsync($"tasks WHERE user_id = '{userId}'")) > 0 && purgeDeadline.Elapsed < PropagationLimit)
        {
            await Task.Delay(20);
        }

        Assert.True(left == 0, $"{left} task(s) of the deleted user still there {purgeDeadline.ElapsedMilliseconds} ms after Tasks refused the token");
        var row = Assert.Single(await _stack.TasksDatabase.QueryAsync("SELECT deleted FROM token_revocations WHERE user_id = @u", ("@u", userId.ToString())));
        Assert.True(Convert.ToBoolean(row["deleted"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_password_change_revokes_earlier_tokens_everywhere_and_the_new_token_works()
    {
        var (_, username, oldToken) = await _stack.NewUserAsync();
        using (var first = await ChangePasswordAsync(oldToken, AuthApi.StrongPassword, "Second-Horse-8-Battery"))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        await AssertRefusedByAuthAsync(oldToken);

        // The old token cannot change the password again (it no longer authenticates at all).
        using (var again = await ChangePasswordAsync(oldToken, "Second-Horse-8-Battery", "Third-Horse-7-Battery"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        var elapsed = await TimeUntilRefusedAsync(_stack.TasksClient, oldToken, clock);
        output.WriteLine($"Tasks refused the pre-change token {elapsed.TotalMilliseconds:F0} ms after the password change returned");
        Assert.True(elapsed < PropagationLimit, $"took {elapsed.TotalMilliseconds:F0} ms");

        using var login = await _stack.AuthClient.LoginAsync(username, "Second-Horse-8-Battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var newToken = (await login.JsonAsync()).GetProperty("token").GetString()!;
        using (var me = await _stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/me").WithBearer(newToken)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        await _stack.TasksClient.CreateTaskAsync(newToken, new { title = "With the new token" });
    }

    /// <summary>
    /// <c>iat</c> has whole-second precision: a token issued in the same second just before a change must be refused,
    /// one issued just after it must be accepted — on Auth and on Tasks.
    /// </summary>
    [Fact]
    public async Task Tokens_issued_in_the_same_second_as_a_password_change_are_judged_by_which_side_of_it_they_are()
    {
        var (_, username, _) = await _stack.NewUserAsync();
        var password = AuthApi.StrongPassword;
        var sameSecond = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = await LoginTokenAsync(username, password);
            var next = $"Round-{round}-Horse-Battery!";
            using (var changed = await ChangePasswordAsync(before, password, next))
            {
                Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            }

            password = next;
            var after = await LoginTokenAsync(username, password);

            // nbf is the real issuing time; iat of the new token is lifted to the change's not-before.
            var issuedBefore = new JsonWebToken(before).ValidFrom;
            var issuedAfter = new JsonWebToken(after).ValidFrom;
            if (issuedBefore == issuedAfter)
            {
                sameSecond++;
            }

            Assert.True(new JsonWebToken(after).IssuedAt > new JsonWebToken(before).IssuedAt);
            await AssertRefusedByAuthAsync(before);
            Assert.True(await TimeUntilRefusedAsync(_stack.TasksClient, before, Stopwatch.StartNew()) < PropagationLimit);
            using (var me = await _stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/auth/me").WithBearer(after)))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }

            using var tasks = await _stack.TasksClient.SendAsync(HttpMethod.Get, "/api/tasks", after);
            Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
        }

        output.WriteLine($"{sameSecond} of 5 rounds issued both tokens within the same second");
        Assert.True(sameSecond > 0, "no round exercised the same-second edge");
    }

    [Fact]
    public async Task Every_replica_refuses_within_a_second_although_only_one_consumes_the_event()
    {
        // A second replica on the same database and the same consumer group: the queue is shared (competing consumers).
        await using var second = new TasksService(_stack.TasksDatabase.ConnectionString(), _stack.Auth.BaseAddress, new Dictionary<string, string?>
        {
            ["Events:ConsumerGroup"] = _stack.Tasks.ConsumerGroup,
        }).Start();
        using var secondClient = second.CreateHttpClient();

        var tokens = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (_, _, token) = await _stack.NewUserAsync();
            tokens.Add(token);

            // Warm both replicas (JWKS fetched, code paths compiled): the measurement is of propagation, not start-up.
            foreach (var client in new[] { _stack.TasksClient, secondClient })
            {
                using var warm = await client.SendAsync(HttpMethod.Get, "/api/tasks", token);
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }
        }

        foreach (var token in tokens)
        {
            using var deleted = await _stack.AuthClient.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token));
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        foreach (var token in tokens)
        {
            foreach (var (client, replica) in new[] { (_stack.TasksClient, 1), (secondClient, 2) })
            {
                var elapsed = await TimeUntilRefusedAsync(client, token, clock);
                output.WriteLine($"replica {replica}: refused after {elapsed.TotalMilliseconds:F0} ms");
                Assert.True(elapsed < PropagationLimit, $"replica {replica} took {elapsed.TotalMilliseconds:F0} ms");
            }
        }

        output.WriteLine($"Both replicas refused all four tokens {clock.ElapsedMilliseconds} ms after the last deletion");
    }

    private async Task<string> LoginTokenAsync(string username, string password)
    {
        using var login = await _stack.AuthClient.LoginAsync(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.JsonAsync()).GetProperty("token").GetString()!;
    }

    private Task<HttpResponseMessage> ChangePasswordAsync(string token, string current, string next)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/auth/me/password").WithBearer(token);
        request.Content = JsonContent.Create(new { currentPassword = current, newPassword = next });
        return _stack.AuthClient.SendAsync(request);
    }

    private async Task AssertRefusedByAuthAsync(string token)
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/auth/me"), (HttpMethod.Post, "/api/auth/verify"), (HttpMethod.Get, "/api/auth/profile") })
        {
            using var response = await _stack.AuthClient.SendAsync(new HttpRequestMessage(method, path).WithBearer(token));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>Polls Tasks with the token until it is 401; returns the time on <paramref name="clock"/> at that moment.</summary>
    internal static async Task<TimeSpan> TimeUntilRefusedAsync(HttpClient tasks, string token, Stopwatch clock, TimeSpan? giveUp = null)
    {
        var limit = giveUp ?? TimeSpan.FromSeconds(10);
        while (clock.Elapsed < limit)
        {
            using var response = await tasks.SendAsync(HttpMethod.Get, "/api/tasks", token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                return clock.Elapsed;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"Tasks still accepted the token after {limit.TotalSeconds} s.");
    }
}
