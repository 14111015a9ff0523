using System.Text;

namespace TaskManagement.Tasks.Tests;

public sealed class ValidationTests(TasksFixture fx) : IClassFixture<TasksFixture>
{
    public static TheoryData<string, string, string> CreateCases => new()
    {
        // method+path template, JSON body, field named
        { "POST", """{"description":"no title"}""", "title" },
        { "POST", """{"title":"   "}""", "title" },
        { "POST", $$"""{"title":"{{new string('t', 201)}}"}""", "title" },
        { "POST", $$"""{"title":"ok","description":"{{new string('d', 2001)}}"}""", "description" },
        { "POST", """{"title":"ok","priority":"urgent"}""", "priority" },
        { "POST", """{"title":"ok","status":"done"}""", "status" },
        { "POST", """{"title":"ok","priority":3}""", "priority" },
        { "POST", """{"title":"ok","dueDate":"tomorrow"}""", "dueDate" },
        { "POST", """{"title":"ok","dueDate":"2030-02-30"}""", "dueDate" },
        { "POST", """{"title":"ok","owner":"someone"}""", "owner" },
        { "POST", """{"title":"ok","userId":"00000000-0000-0000-0000-000000000001"}""", "userId" },
        // PUT: absent priority/status keep the current value (original API), but a value that is present is checked.
        { "PUT", """{"title":"ok","priority":null}""", "priority" },
        { "PUT", """{"title":"ok","status":null}""", "status" },
        { "PUT", """{"description":"no title","priority":"low","status":"pending"}""", "title" },
        { "PUT", """{"title":"ok","priority":3}""", "priority" },
        { "PUT", """{"title":"ok","dueDate":"2030-02-30"}""", "dueDate" },
        { "PUT", """{"title":"ok","description":false}""", "description" },
        { "PUT", """{"title":""", "body" },
        { "PUT", """{"title":"","priority":"low","status":"pending"}""", "title" },
        { "PUT", """{"title":"ok","priority":"low","status":"pending","colour":"red"}""", "colour" },
        { "PATCH", """{"title":null}""", "title" },
        { "PATCH", """{"title":"  "}""", "title" },
        { "PATCH", """{"priority":"urgent"}""", "priority" },
        { "PATCH", """{"status":null}""", "status" },
        { "PATCH", """{"dueDate":"31/12/2030"}""", "dueDate" },
        { "PATCH", $$"""{"description":"{{new string('d', 2001)}}"}""", "description" },
        { "PATCH", """{"id":"00000000-0000-0000-0000-000000000001"}""", "id" },
        { "PATCH", """[1,2]""", "body" },
        { "PATCH", """{"title":123}""", "title" },
        { "PATCH", """{"title":true}""", "title" },
        { "PATCH", """{"title":{"text":"x"}}""", "title" },
        { "PATCH", """{"priority":3}""", "priority" },
        { "PATCH", """{"priority":["high"]}""", "priority" },
        { "PATCH", """{"status":1}""", "status" },
        { "PATCH", """{"status":"done"}""", "status" },
        { "PATCH", """{"description":5}""", "description" },
        { "PATCH", """{"description":["a"]}""", "description" },
        { "PATCH", """{"dueDate":20300101}""", "dueDate" },
        { "PATCH", """{"title":"ok",""", "body" },
        { "PATCH", """{"title":"ok"}}""", "body" },
        { "PATCH", "", "body" },
        { "PATCH", "\"title\"", "body" },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public async Task Each_invalid_field_is_400_naming_it_and_changes_nothing(string method, string json, string field)
    {
        var (token, existing) = await fx.NewUserWithTaskAsync(new { title = "Existing", priority = "high" });
        var rowsBefore = await fx.Database.CountAsync("tasks");
        var outboxBefore = await fx.Database.CountAsync("outbox_messages");
        var versionBefore = await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", existing.ToString()));

        var path = method == "POST" ? "/api/tasks" : $"/api/tasks/{existing}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await fx.Client.SendAsync(new HttpMethod(method), path, token, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.Equal(rowsBefore, await fx.Database.CountAsync("tasks"));
        Assert.Equal(outboxBefore, await fx.Database.CountAsync("outbox_messages"));
        Assert.Equal(versionBefore, await fx.Database.ScalarAsync("SELECT version FROM tasks WHERE id = @id", ("@id", existing.ToString())));
    }

    [Fact]
    public async Task Title_of_exactly_200_and_description_of_2000_are_accepted()
    {
        var (_, _, token) = await fx.Stack.NewUserAsync();
        using var response = await fx.Client.SendAsync(HttpMethod.Post, "/api/tasks", token,
            new { title = new string('t', 200), description = new string('d', 2000) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>
    /// JSON bodies cannot carry a broken surrogate pair (the reader refuses it first, see HostileInputTests), so the
    /// attribute's own refusal is checked directly: it guards any other way text may arrive.
    /// </summary>
    [Fact]
    public void Visible_text_refuses_a_broken_surrogate_pair_and_keeps_a_whole_one()
    {
        var rule = new TaskManagement.Tasks.Features.VisibleTextAttribute();
        Assert.False(rule.IsValid(new string(['a', (char)0xD800, 'b'])));
        Assert.False(rule.IsValid(new string([(char)0xDC00])));
        Assert.True(rule.IsValid("Ship it \U0001F680"));
    }
}
