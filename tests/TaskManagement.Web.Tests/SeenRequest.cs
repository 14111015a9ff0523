namespace TaskManagement.Web.Tests;

/// <summary>What a stub service saw of one request.</summary>
public sealed record SeenRequest(string Service, string Method, string Path, string Query, string? XForwardedFor, string? TraceParent, string Body)
{
    /// <summary>Every request header as received (joined when repeated).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
