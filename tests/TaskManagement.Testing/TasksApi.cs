using System.Net.Http.Json;

namespace TaskManagement.Testing;

/// <summary>Calls the real Tasks API with a bearer token.</summary>
public static class TasksApi
{
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string token, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path).WithBearer(token);
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    /// <summary>Creates a task and returns its id.</summary>
    public static async Task<Guid> CreateTaskAsync(this HttpClient client, string token, object body)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "/api/tasks", token, body);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
