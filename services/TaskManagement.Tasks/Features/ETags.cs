using Microsoft.Net.Http.Headers;
using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>The task's version as a strong ETag, and If-Match checking (RFC 9110 §13.1.1).</summary>
public static class ETags
{
    public static string Of(TaskItem task) => $"\"{task.Version}\"";

    /// <summary>True when there is no If-Match, it is <c>*</c>, or it lists the task's current ETag.</summary>
    public static bool Matches(HttpRequest request, TaskItem task)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return true;
        }

        var current = Of(task);
        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Equals(current, StringComparison.Ordinal)));
    }

    public static void Write(HttpResponse response, TaskItem task) => response.Headers.ETag = Of(task);
}
