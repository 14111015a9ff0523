using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskManagement.Auth.Data;
using TaskManagement.Auth.Features;
using TaskManagement.Auth.Identity;

namespace TaskManagement.Auth.Tests;

/// <summary>
/// Behaviour the Stryker run on <c>PasswordPolicy.cs</c> and <c>LoginEndpoints.cs</c> found unasserted
/// (docs/mutation-testing.md): exact messages, metric counts, and the stored hash left alone.
/// </summary>
public sealed class MutationKillingTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    public static TheoryData<string, string, string> MissingCredentials => new()
    {
        // body, field, message
        { "{\"password\":\"Correct-Horse-9-Battery\"}", "username", "Username is required." },
        { "{\"username\":\"\",\"password\":\"Correct-Horse-9-Battery\"}", "username", "Username is required." },
        { "{\"username\":\"someone\"}", "password", "Password is required." },
        { "{\"username\":\"someone\",\"password\":\"\"}", "password", "Password is required." },
    };

    [Theory]
    [MemberData(nameof(MissingCredentials))]
    public async Task Login_with_a_missing_or_empty_credential_is_400_with_that_field_and_its_message_only(string json, string field, string message)
    {
        using var logins = new InstrumentReader(auth.Service.Services, "taskmanagement.auth.logins");
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await auth.Client.PostAsync("/api/auth/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        var errors = body.GetProperty("errors");
        var only = Assert.Single(errors.EnumerateObject());
        Assert.Equal(field, only.Name);
        Assert.Equal([message], only.Value.EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(message, body.GetProperty("error").GetString());

        // Refused before any lookup: no login outcome is counted.
        Assert.Equal("", logins.SumsBy("outcome"));
    }

    [Fact]
    public async Task Usernames_of_exactly_the_shortest_and_longest_allowed_length_can_log_in()
    {
        // Login looks up only names that could have been registered (UsernamePolicy.IsValid): the bounds are inclusive.
        var shortest = Guid.NewGuid().ToString("N")[..UsernamePolicy.MinLength];
        var longest = (AuthApi.NewUsername("longest") + new string('x', UsernamePolicy.MaxLength))[..UsernamePolicy.MaxLength];
        foreach (var username in new[] { shortest, longest })
        {
            await auth.Client.AssertRegisterAsync(HttpStatusCode.Created, username);
            await auth.Client.AssertLoginAsync(HttpStatusCode.OK, username);
        }
    }

    [Fact]
    public async Task Each_login_outcome_is_counted_once_under_its_own_label()
    {
        var (_, username, _) = await auth.Client.RegisterAndLoginAsync();
        using var logins = new InstrumentReader(auth.Service.Services, "taskmanagement.auth.logins");

        using (var ok = await auth.Client.LoginAsync(username))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal("success=1", logins.SumsBy("outcome"));

        using (var wrong = await auth.Client.LoginAsync(username, "Wrong-Password-123"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        Assert.Equal("invalid_credentials=1, success=1", logins.SumsBy("outcome"));
    }

    [Fact]
    public async Task A_throttled_login_is_429_counted_as_rate_limited_and_never_checks_the_password()
    {
        // The fixture's database and key, served by an Auth that allows one login attempt per address and name.
        await using var strict = new AuthService(auth.Database.ConnectionString(), auth.Service.SigningKeyPath, new Dictionary<string, string?>
        {
            ["RateLimiting:Login:PermitLimit"] = "1",
        }).Start();
        using var client = strict.CreateHttpClient();
        using var logins = new InstrumentReader(strict.Services, "taskmanagement.auth.logins");
        var (_, username, _) = await auth.Client.RegisterAndLoginAsync();

        using (var first = await client.LoginAsync(username))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal("success=1", logins.SumsBy("outcome"));

        // Even the right password is refused once the name's attempts from this address are used up.
        using var second = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("900", second.Headers.GetValues("Retry-After").Single()); // the 15-minute login window
        Assert.Equal("rate_limited=1, success=1", logins.SumsBy("outcome"));

        // Another name from the same address has its own attempts.
        var (_, other, _) = await auth.Client.RegisterAndLoginAsync();
        await client.AssertLoginAsync(HttpStatusCode.OK, other);
    }

    [Fact]
    public async Task A_login_at_the_current_work_factor_leaves_the_stored_hash_unchanged()
    {
        var (userId, username, _) = await auth.Client.RegisterAndLoginAsync();
        var before = await HashAsync(userId);

        await auth.Client.AssertLoginAsync(HttpStatusCode.OK, username);
        Assert.Equal(before, await HashAsync(userId));
    }

    [Fact]
    public async Task The_openapi_document_groups_login_and_verify_under_Login_and_describes_verify()
    {
        // Client generators name their API classes after the tags.
        using var response = await auth.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync()).GetProperty("paths");

        var login = paths.GetProperty("/api/auth/login").GetProperty("post");
        Assert.Equal(["Login"], login.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var verify = paths.GetProperty("/api/auth/verify").GetProperty("post");
        Assert.Equal(["Login"], verify.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Validates the bearer token; kept for the original API's clients.", verify.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Verify_of_an_account_deleted_after_authentication_is_401_not_a_null_dereference()
    {
        // Over HTTP a deleted user's token is refused earlier (CredentialsRevocation); an account deleted between
        // that check and the endpoint's own lookup reaches the endpoint, which must still answer 401.
        var (userId, _, _) = await auth.Client.RegisterAndLoginAsync();
        await using var scope = auth.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userId.ToString())], "Bearer"));

        var result = await LoginEndpoints.Verify(principal, db, CancellationToken.None);

        Assert.IsType<UnauthorizedHttpResult>(result.Result);
    }

    private async Task<string> HashAsync(Guid userId) =>
        (string)(await auth.Database.ScalarAsync("SELECT password_hash FROM users WHERE id = @id", ("@id", userId.ToString())))!;
}
