using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskManagement.Tasks.Tests;

public sealed class AuthenticationTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    [Fact]
    public async Task No_malformed_expired_or_foreign_tokens_are_401_on_every_route()
    {
        var (userId, username, token) = await fx.Stack.NewUserAsync();
        var id = await fx.Client.CreateTaskAsync(token, new { title = "Mine" });
        var serviceKey = new RsaSecurityKey(RSAFromPem(fx.Stack.Auth.SigningKeyPath));
        serviceKey.KeyId = new JsonWebToken(token).Kid;

        var badTokens = new Dictionary<string, string?>
        {
            ["none"] = null,
            ["malformed"] = "abc.def.ghi",
            ["expired"] = Sign(serviceKey, userId, username, DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddMinutes(-10)),
            ["other-key"] = Sign(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "foreign" }, userId, username, DateTime.UtcNow, DateTime.UtcNow.AddHours(1)),
        };
        var routes = new (HttpMethod, string)[]
        {
            (HttpMethod.Get, "/api/tasks"), (HttpMethod.Get, "/api/tasks/summary"), (HttpMethod.Get, $"/api/tasks/{id}"),
            (HttpMethod.Post, "/api/tasks"), (HttpMethod.Put, $"/api/tasks/{id}"), (HttpMethod.Patch, $"/api/tasks/{id}"),
            (HttpMethod.Patch, $"/api/tasks/{id}/status"), (HttpMethod.Delete, $"/api/tasks/{id}"),
        };

        foreach (var (kind, bad) in badTokens)
        {
            foreach (var (method, path) in routes)
            {
                using var request = new HttpRequestMessage(method, path);
                if (bad is not null)
                {
                    request.WithBearer(bad);
                }

                using var response = await fx.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind} {method} {path}: {(int)response.StatusCode}");
            }
        }

        // The control: the same forging code with the real key is accepted, and the task is untouched.
        var forgedGood = Sign(serviceKey, userId, username, DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
        using var ok = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks/{id}", forgedGood);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_rotated_auth_key_is_picked_up_without_restarting_tasks()
    {
        // Auth sits behind a stable address (as a Kubernetes Service would be); Tasks knows only that address.
        var authDb = fx.Stack.AuthDatabase;
        await using var front = new TcpProxy("127.0.0.1", fx.Stack.Auth.Port);
        front.Start();
        var tasksDb = await TestDatabase.CreateAsync("tasks");
        await using var _ = tasksDb;
        await using var tasks = new TasksService(tasksDb.ConnectionString(), new Uri($"http://127.0.0.1:{front.Port}"), new Dictionary<string, string?>
        {
            ["Jwt:MetadataRefreshInterval"] = "00:00:01",
        }).Start();
        using var tasksClient = tasks.CreateHttpClient();

        var (_, username, oldToken) = await fx.Stack.NewUserAsync();
        using (var before = await tasksClient.SendAsync(HttpMethod.Get, "/api/tasks", oldToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // JWKS with the old key is now cached
        }

        // Auth rotates: a new signing key, the old one kept for verification. Tasks keeps running.
        await using var rotated = new AuthService(authDb.ConnectionString(), AuthService.NewKeyPath(), new Dictionary<string, string?>
        {
            ["Jwt:PreviousKeyPath"] = fx.Stack.Auth.SigningKeyPath,
        }).Start();
        front.Retarget(rotated.Port);
        using var authClient = rotated.CreateHttpClient();
        using var login = await authClient.LoginAsync(username);
        var newToken = (await login.JsonAsync()).GetProperty("token").GetString()!;
        Assert.NotEqual(new JsonWebToken(oldToken).Kid, new JsonWebToken(newToken).Kid);

        // The unknown kid makes Tasks fetch the JWKS again in the background (at most once per
        // MetadataRefreshInterval); the request that triggers it may still be refused.
        var accepted = false;
        for (var attempt = 0; attempt < 20 && !accepted; attempt++)
        {
            using var after = await tasksClient.SendAsync(HttpMethod.Get, "/api/tasks", newToken);
            accepted = after.StatusCode == HttpStatusCode.OK;
            if (!accepted)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }

        Assert.True(accepted, "Tasks never accepted a token signed with the rotated key.");
        using var old = await tasksClient.SendAsync(HttpMethod.Get, "/api/tasks", oldToken);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    private static RSA RSAFromPem(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }

    private static string Sign(SecurityKey key, Guid userId, string username, DateTime issuedAt, DateTime expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = "taskmanagement-api",
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("name", username)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
}
