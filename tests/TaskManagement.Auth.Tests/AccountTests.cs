namespace TaskManagement.Auth.Tests;

public sealed class AccountTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    [Fact]
    public async Task Me_profile_and_verify_describe_the_signed_in_user()
    {
        var (userId, username, token) = await auth.Client.RegisterAndLoginAsync();

        foreach (var path in new[] { "/api/auth/me", "/api/auth/profile" })
        {
            using var response = await auth.Client.SendAsync(HttpMethod.Get, path, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal(userId, body.GetProperty("userId").GetGuid());
            Assert.Equal(username, body.GetProperty("username").GetString());
        }

        using var verify = await auth.Client.SendAsync(HttpMethod.Post, "/api/auth/verify", token);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var verified = await verify.JsonAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(userId, verified.GetProperty("userId").GetGuid());
        Assert.Equal(username, verified.GetProperty("username").GetString());

        using var anonymous = await auth.Client.PostAsync("/api/auth/verify", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_follows_the_policy()
    {
        var (_, username, token) = await auth.Client.RegisterAndLoginAsync();
        const string newPassword = "Brand-New-Secret-42";

        using var wrongCurrent = await ChangeAsync(token, "Not-The-Password-1", newPassword);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await wrongCurrent.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));

        using var weak = await ChangeAsync(token, AuthApi.StrongPassword, "weak");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await weak.JsonAsync()).GetProperty("errors").TryGetProperty("newPassword", out _));

        using (var oldStillWorks = await auth.Client.LoginAsync(username))
        {
            Assert.Equal(HttpStatusCode.OK, oldStillWorks.StatusCode);
        }

        using var changed = await ChangeAsync(token, AuthApi.StrongPassword, newPassword);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await auth.Client.AssertLoginAsync(HttpStatusCode.Unauthorized, username);
        await auth.Client.AssertLoginAsync(HttpStatusCode.OK, username, newPassword);
    }

    [Fact]
    public async Task Deleting_the_account_removes_the_user_and_writes_user_deleted_in_the_same_commit()
    {
        var (userId, username, token) = await auth.Client.RegisterAndLoginAsync();

        await auth.Client.DeleteAccountAsync(token);

        Assert.Equal(0, await auth.Database.CountAsync($"users WHERE id = '{userId}'"));
        var types = (await auth.Database.QueryAsync("SELECT type FROM outbox_messages WHERE subject = @s ORDER BY sequence", ("@s", userId.ToString())))
            .Select(r => (string)r["type"]!).ToList();
        Assert.Equal(["com.taskmanagement.user.registered.v1", "com.taskmanagement.user.deleted.v1"], types);

        await auth.Client.AssertLoginAsync(HttpStatusCode.Unauthorized, username);
        using var me = await auth.Client.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

        // The name is free again.
        await auth.Client.AssertRegisterAsync(HttpStatusCode.Created, username);
    }

    private Task<HttpResponseMessage> ChangeAsync(string token, string current, string next) =>
        auth.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/auth/me/password")
        {
            Content = JsonContent.Create(new { currentPassword = current, newPassword = next }),
        }.WithBearer(token));
}
