using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskManagement.Testing;

namespace TaskManagement.Tasks.Tests;

/// <summary>Text a fuzzer or an attacker sends: every answer is a deliberate 400 naming the field, and nothing is written.</summary>
public sealed class HostileInputTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    // {"title":"\xc0\xaf"}: an overlong encoding of '/', invalid UTF-8.
    private static readonly byte[] OverlongSlash = [0xC0, 0xAF];

    public static TheoryData<string, string, string> BrokenText => new()
    {
        // method, body template ({0} = the broken string's bytes go where "@" is), field named
        { "PATCH", """{"title":"@"}""", "title" },
        { "PATCH", """{"description":"@"}""", "description" },
        { "PATCH", """{"priority":"@"}""", "priority" },
        { "PATCH", """{"status":"@"}""", "status" },
        { "PATCH", """{"dueDate":"@"}""", "dueDate" },
        { "PATCH", """{"@":"x"}""", "body" },
        { "PUT", """{"title":"@","priority":"low","status":"pending"}""", "title" },
        { "PUT", """{"title":"ok","description":"@"}""", "description" },
        { "POST", """{"title":"@"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task Invalid_utf8_is_400_naming_the_field_and_changes_nothing(string method, string template, string field)
    {
        var at = template.IndexOf('@', StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(template[..at]), .. OverlongSlash, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
        await AssertRejectedAsync(method, body, field);
    }

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task A_lone_surrogate_escape_is_400_naming_the_field_and_changes_nothing(string method, string template, string field) =>
        await AssertRejectedAsync(method, Encoding.UTF8.GetBytes(template.Replace("@", "\\ud800", StringComparison.Ordinal)), field);

    public static TheoryData<string> InvisibleTitles => new()
    {
        "nul\u0000inside",
        "bell\u0007",
        "line\nbreak",
        "tab\tinside",
        "delete\u007f",
        "next line\u0085inside",
        "c1\u009binside",
        "\u200b",
        "zero\u200bwidth space",
        "zero\u200cwidth non-joiner",
        "zero\u200dwidth joiner",
        "word\u2060joiner",
        "\ufeffbyte order mark",
        "right-to-left \u202eoverride",
        "line\u2028separator",
        "soft\u00adhyphen",
    };

    [Theory]
    [MemberData(nameof(InvisibleTitles))]
    public async Task Control_and_invisible_characters_in_a_title_are_400_on_create_replace_and_patch(string title)
    {
        foreach (var method in new[] { "POST", "PUT", "PATCH" })
        {
            await AssertRejectedAsync(method, JsonSerializer.SerializeToUtf8Bytes(new { title }), "title");
        }
    }

    [Theory]
    [InlineData("nul\u0000inside")]
    [InlineData("escape\u001b[31m")]
    [InlineData("c1\u0090inside")]
    public async Task Control_characters_in_a_description_are_400(string description)
    {
        foreach (var method in new[] { "POST", "PUT", "PATCH" })
        {
            await AssertRejectedAsync(method, JsonSerializer.SerializeToUtf8Bytes(new { title = "ok", description }), "description");
        }
    }

    [Fact]
    public async Task Descriptions_keep_tabs_and_line_breaks_and_titles_keep_emoji_sequences_and_scripts()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        const string Title = "👩‍💻 Fix the build ❤️‍🔥 — Überprüfung, 確認, مراجعة";
        const string Description = "Steps:\n\t1. reproduce\r\n\t2. fix";
        using var created = await fx.Client.SendAsync(HttpMethod.Post, "/api/tasks", token, new { title = Title, description = Description });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var row = Assert.Single(await fx.Database.QueryAsync("SELECT title, description FROM tasks WHERE id = @id", ("@id", id.ToString())));
        Assert.Equal(Title, row["title"]);
        Assert.Equal(Description, row["description"]);
    }

    [Theory]
    [InlineData("%C0%AF")]
    [InlineData("%ED%A0%80")]
    [InlineData("%00")]
    [InlineData("%FF%FE")]
    public async Task A_search_for_broken_text_is_answered_not_a_server_error(string q)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        await fx.Client.CreateTaskAsync(token, new { title = "Something" });
        using var response = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks?q={q}", token);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
    }

    private async Task AssertRejectedAsync(string method, byte[] body, string field)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        var existing = await fx.Client.CreateTaskAsync(token, new { title = "Existing", description = "kept", priority = "high" });
        var rowsBefore = await fx.Database.CountAsync("tasks");
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");
        var before = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", existing.ToString())));

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var path = method == "POST" ? "/api/tasks" : $"/api/tasks/{existing}";
        using var response = await fx.Client.SendAsync(new HttpMethod(method), path, token, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("error").GetString()));
        Assert.Equal(rowsBefore, await fx.Database.CountAsync("tasks"));
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
        var after = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", existing.ToString())));
        Assert.Equal(before, after);
    }
}
