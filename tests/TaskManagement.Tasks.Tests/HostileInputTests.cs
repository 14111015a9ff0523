using System.Net.Http.Headers;
using System.Text;

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
        var (token, _) = await fx.NewUserWithTaskAsync(new { title = "Something" });
        using var response = await fx.Client.SendAsync(HttpMethod.Get, $"/api/tasks?q={q}", token);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("POST", "klingon")]
    [InlineData("PUT", "klingon")]
    [InlineData("PATCH", "utf-16")]
    [InlineData("POST", "iso-8859-1")]
    public async Task A_body_in_a_charset_other_than_utf8_is_415_and_changes_nothing(string method, string charset)
    {
        var (token, existing) = await fx.NewUserWithTaskAsync(new { title = "Existing" });
        var rowsBefore = await fx.Database.CountAsync("tasks");
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        using var content = new ByteArrayContent("""{"title":"Changed"}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
        var path = method == "POST" ? "/api/tasks" : $"/api/tasks/{existing}";
        using var response = await fx.Client.SendAsync(new HttpMethod(method), path, token, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UTF-8", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await fx.Database.CountAsync("tasks"));
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task An_error_is_problem_json_with_its_message_whatever_the_client_accepts(string accept)
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{Guid.NewGuid()}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await fx.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("Task not found.", problem.GetProperty("error").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
    }

    [Theory]
    [InlineData("PATCH", "/status")]
    [InlineData("DELETE", "")]
    public async Task A_body_with_broken_chunk_framing_changes_nothing_even_where_no_body_is_read(string method, string suffix)
    {
        var (token, existing) = await fx.NewUserWithTaskAsync(new { title = "Existing" });
        var before = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", existing.ToString())));
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");

        // HttpClient will not send a malformed chunk: write the request by hand.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fx.Client.BaseAddress!.Host, fx.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"{method} /api/tasks/{existing}{suffix} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + $"Authorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{\"title\":\"x\"}}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;

        Assert.StartsWith("HTTP/1.1 400", statusLine, StringComparison.Ordinal);
        var after = Assert.Single(await fx.Database.QueryAsync("SELECT * FROM tasks WHERE id = @id", ("@id", existing.ToString())));
        Assert.Equal(before, after);
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
    }

    private async Task AssertRejectedAsync(string method, byte[] body, string field)
    {
        var (token, existing) = await fx.NewUserWithTaskAsync(new { title = "Existing", description = "kept", priority = "high" });
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
