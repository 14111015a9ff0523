using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace TaskManagement.Testing;

/// <summary>Calls the real Auth API the way a client does.</summary>
public static class AuthApi
{
    public const string StrongPassword = "Correct-Horse-9-Battery";

    public static string NewUsername(string prefix = "user") => $"{prefix}_{Guid.NewGuid():N}"[..30];

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string username, string password = StrongPassword) =>
        client.PostAsJsonAsync("/api/auth/register", new { username, password });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string username, string password = StrongPassword) =>
        client.PostAsJsonAsync("/api/auth/login", new { username, password });

    /// <summary>Registers and asserts the answer's status, for when only the status matters.</summary>
    public static async Task AssertRegisterAsync(this HttpClient client, HttpStatusCode expected, string username, string password = StrongPassword)
    {
        using var response = await client.RegisterAsync(username, password);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Logs in and asserts the answer's status, for when only the status matters.</summary>
    public static async Task AssertLoginAsync(this HttpClient client, HttpStatusCode expected, string username, string password = StrongPassword)
    {
        using var response = await client.LoginAsync(username, password);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Registers a new user and logs in; returns the user id and bearer token.</summary>
    public static async Task<(Guid UserId, string Username, string Token)> RegisterAndLoginAsync(this HttpClient client, string? username = null)
    {
        username ??= NewUsername();
        await client.AssertRegisterAsync(HttpStatusCode.Created, username);
        using var login = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("userId").GetGuid(), username, body.GetProperty("token").GetString()!);
    }

    /// <summary>Deletes the token's account (DELETE /api/auth/me) and asserts the 204.</summary>
    public static async Task DeleteAccountAsync(this HttpClient client, string token)
    {
        using var deleted = await client.SendAsync(HttpMethod.Delete, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>The body as JSON; can be called more than once on the same response.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
