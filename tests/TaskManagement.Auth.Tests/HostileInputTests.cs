using System.Text;

namespace TaskManagement.Auth.Tests;

/// <summary>Answers an attacker probes for (issue 9): lookalike names, bcrypt truncation, claim-less tokens, forged Host.</summary>
public sealed class HostileInputTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    public static TheoryData<string> LookalikeSuffixes => ["\n", "\r\n", "\t", "\0", "\u200B", "\u200D", "\uFEFF", "\u0085", "\u2028"];

    [Theory]
    [MemberData(nameof(LookalikeSuffixes))]
    public async Task A_username_with_a_control_or_zero_width_character_is_400_and_writes_nothing(string suffix)
    {
        var victim = AuthApi.NewUsername("victim");
        var usersBefore = await auth.Database.CountAsync("users");

        using var response = await auth.Client.RegisterAsync(victim + suffix);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("username", out _));
        Assert.Equal(usersBefore, await auth.Database.CountAsync("users"));
    }

    [Fact]
    public async Task Login_with_a_password_longer_than_72_bytes_is_401_even_when_its_first_72_bytes_are_right()
    {
        var username = AuthApi.NewUsername("long");
        var password = Exactly72Bytes();
        using (var registered = await auth.Client.RegisterAsync(username, password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // bcrypt would ignore everything after byte 72 and accept this.
        using var response = await auth.Client.LoginAsync(username, password + "anything");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid username or password.", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Passwords_of_exactly_12_characters_and_exactly_72_bytes_register_and_log_in()
    {
        foreach (var password in new[] { "Abcdefgh-12!", Exactly72Bytes() })
        {
            var username = AuthApi.NewUsername("edge");
            await auth.Client.AssertRegisterAsync(HttpStatusCode.Created, username, password);
            await auth.Client.AssertLoginAsync(HttpStatusCode.OK, username, password);
        }
    }

    [Fact]
    public async Task Verify_with_a_valid_token_of_a_deleted_user_is_401()
    {
        var (_, _, token) = await auth.Client.RegisterAndLoginAsync();
        await auth.Client.DeleteAccountAsync(token);

        using var verify = await auth.Client.SendAsync(HttpMethod.Post, "/api/auth/verify", token);

        Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        Assert.Equal("application/problem+json", verify.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string> ClaimDefects => ["no-sub", "sub-abc", "sub-empty", "sub-braced-guid", "no-iat"];

    [Theory]
    [MemberData(nameof(ClaimDefects))]
    public async Task A_correctly_signed_token_without_a_usable_sub_or_iat_is_401_on_every_protected_route(string defect)
    {
        var (userId, username, _) = await auth.Client.RegisterAndLoginAsync();
        var claims = new Dictionary<string, object> { ["name"] = username, ["jti"] = Guid.NewGuid().ToString("N") };
        switch (defect)
        {
            case "sub-abc": claims["sub"] = "abc"; break;
            case "sub-empty": claims["sub"] = ""; break;
            case "sub-braced-guid": claims["sub"] = $"{{{userId}}}"; break;
            case "no-iat": claims["sub"] = userId.ToString(); break;
        }

        var token = TestTokens.Sign(TestTokens.ServiceKey(auth.Service.SigningKeyPath), claims, withIssuedAt: defect != "no-iat");
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/auth/me"), (HttpMethod.Post, "/api/auth/verify"), (HttpMethod.Delete, "/api/auth/me") })
        {
            using var response = await auth.Client.SendAsync(method, path, token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{defect} {method} {path}: {(int)response.StatusCode}");
        }

        Assert.Equal(1L, await auth.Database.CountAsync($"users WHERE id = '{userId}'"));
    }

    [Fact]
    public async Task The_control_token_with_every_claim_is_accepted()
    {
        var (userId, username, _) = await auth.Client.RegisterAndLoginAsync();
        var token = TestTokens.Sign(TestTokens.ServiceKey(auth.Service.SigningKeyPath), new Dictionary<string, object> { ["sub"] = userId.ToString(), ["name"] = username });
        using var response = await auth.Client.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_publishes_the_configured_issuer_never_the_callers_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/.well-known/openid-configuration");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil2.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await auth.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil", text, StringComparison.OrdinalIgnoreCase);
        var body = await response.JsonAsync();
        Assert.Equal(TestTokens.Issuer, body.GetProperty("issuer").GetString());
        Assert.Equal(TestTokens.Issuer + "/.well-known/jwks.json", body.GetProperty("jwks_uri").GetString());
        Assert.True(Uri.TryCreate(body.GetProperty("issuer").GetString(), UriKind.Absolute, out _));

        // The tokens carry the same issuer (OIDC: iss = the discovery issuer).
        var (_, _, token) = await auth.Client.RegisterAndLoginAsync();
        Assert.Equal(TestTokens.Issuer, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Issuer);
    }

    // "Aa1-" + 34 × "é" (2 bytes each) = 4 + 68 = 72 bytes, 38 characters.
    private static string Exactly72Bytes()
    {
        var password = "Aa1-" + new string('é', 34);
        Assert.Equal(72, Encoding.UTF8.GetByteCount(password));
        return password;
    }
}
