using System.Text;

namespace TaskManagement.Auth.Tests;

public sealed class RegistrationTests(AuthFixture auth) : IClassFixture<AuthFixture>
{
    public static TheoryData<string?, string?, string, string> InvalidInputs => new()
    {
        // username, password, field named, words the message must contain
        { null, AuthApi.StrongPassword, "username", "required" },
        { "ab", AuthApi.StrongPassword, "username", "3–50" },
        { new string('a', 51), AuthApi.StrongPassword, "username", "3–50" },
        { "bad name!", AuthApi.StrongPassword, "username", "letters, digits" },
        { "validname", null, "password", "required" },
        { "validname", "Short-1a", "password", "at least 12" },
        { "validname", "no-upper-case-1", "password", "upper-case" },
        { "validname", "NO-LOWER-CASE-1", "password", "lower-case" },
        { "validname", "No-Digits-Here!", "password", "digit" },
        { "validname", "NoSymbolsHere123", "password", "symbol" },
        { "validname", "Aa1-" + new string('é', 35), "password", "72 bytes" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Each_rule_alone_gives_400_naming_the_field_and_writes_nothing(string? username, string? password, string field, string words)
    {
        // Make usernames unique so a valid one can never collide with another test's.
        if (username == "validname")
        {
            username = AuthApi.NewUsername("valid");
        }

        var usersBefore = await auth.Database.CountAsync("users");
        var outboxBefore = await auth.Database.CountAsync("outbox_messages");

        using var response = await auth.Client.PostAsJsonAsync("/api/auth/register", new { username, password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        var errors = body.GetProperty("errors");
        Assert.Single(errors.EnumerateObject());
        var messages = errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains(words, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(words, body.GetProperty("error").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal(usersBefore, await auth.Database.CountAsync("users"));
        Assert.Equal(outboxBefore, await auth.Database.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Every_failed_rule_is_listed()
    {
        using var response = await auth.Client.RegisterAsync("x!", "short");
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(2, errors.GetProperty("username").GetArrayLength());
        Assert.Equal(4, errors.GetProperty("password").GetArrayLength()); // length, upper, digit, symbol
    }

    [Theory]
    [InlineData("{\"username\":\"abc\",\"password\":\"Correct-Horse-9\",\"isAdmin\":true}", "isAdmin")]
    [InlineData("{\"username\":123,\"password\":\"Correct-Horse-9\"}", "username")]
    public async Task Unknown_or_mistyped_fields_are_400_naming_the_field(string json, string field)
    {
        var usersBefore = await auth.Database.CountAsync("users");
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await auth.Client.PostAsync("/api/auth/register", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        Assert.Equal(usersBefore, await auth.Database.CountAsync("users"));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_without_internals()
    {
        using var content = new StringContent("{\"username\":", Encoding.UTF8, "application/json");
        using var response = await auth.Client.PostAsync("/api/auth/register", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_answers_201_in_the_original_shape_and_writes_one_user_registered_event()
    {
        var username = AuthApi.NewUsername("Reg");
        using var response = await auth.Client.RegisterAsync(username);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("User registered successfully", body.GetProperty("message").GetString());
        var userId = body.GetProperty("userId").GetGuid();
        Assert.Equal(username, body.GetProperty("username").GetString());

        var rows = await auth.Database.QueryAsync("SELECT * FROM outbox_messages WHERE subject = @s", ("@s", userId.ToString()));
        var row = Assert.Single(rows);
        Assert.Equal("com.taskmanagement.user.registered.v1", row["type"]);
        Assert.Equal("/taskmanagement/auth", row["source"]);
        Assert.Equal("users", row["topic"]);
        Assert.Contains(userId.ToString(), (string)row["data"]!, StringComparison.Ordinal);
        Assert.Contains($"\"username\":\"{username}\"", (string)row["data"]!, StringComparison.Ordinal);

        // The password is stored as a bcrypt hash, never as given.
        var hash = (string)(await auth.Database.ScalarAsync("SELECT password_hash FROM users WHERE id = @id", ("@id", userId.ToString())))!;
        Assert.StartsWith("$2", hash, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthApi.StrongPassword, hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_username_in_any_case_is_409_and_writes_nothing()
    {
        var username = AuthApi.NewUsername("Dup");
        using (var first = await auth.Client.RegisterAsync(username))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var usersBefore = await auth.Database.CountAsync("users");
        var outboxBefore = await auth.Database.CountAsync("outbox_messages");
        foreach (var variant in new[] { username, username.ToUpperInvariant(), username.ToLowerInvariant() })
        {
            using var again = await auth.Client.RegisterAsync(variant);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var body = await again.JsonAsync();
            Assert.Equal("Username is already taken.", body.GetProperty("error").GetString());
        }

        Assert.Equal(usersBefore, await auth.Database.CountAsync("users"));
        Assert.Equal(outboxBefore, await auth.Database.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_name_create_exactly_one_user()
    {
        var username = AuthApi.NewUsername("Race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => auth.Client.RegisterAsync(username)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await auth.Database.CountAsync($"users WHERE normalized_username = '{username.ToUpperInvariant()}'"));
        Assert.Equal(1, await auth.Database.CountAsync($"outbox_messages WHERE data LIKE '%\"{username}\"%'"));
    }
}
