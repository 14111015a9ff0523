using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// JSON is UTF-8 (RFC 8259 §8.1). A body that declares another charset is 415 before any endpoint reads
/// it: the framework would otherwise look the charset up while binding and fail with a 500 on an
/// unknown one (<c>charset=klingon</c>), or transcode a legacy one the rules were never tested with.
/// </summary>
public static class Utf8RequestBodies
{
    internal static void UseUtf8RequestBodies(this WebApplication app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.Charset is { Length: > 0 } charset
            && !IsUtf8(charset.Value!.Trim('"')))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return ErrorHandling.Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be UTF-8 (charset=utf-8, or no charset).")
                .ExecuteAsync(context);
        }

        return next(context);
    });

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
