using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// The last resort of the ProblemDetails writers: the default writer declines when the client's
/// <c>Accept</c> names no JSON type (<c>application/xml</c>), and the fallback then writes a bare
/// problem without <c>error</c> or <c>traceId</c>. These APIs speak only JSON, so an error is
/// written as problem+json whatever was asked, through the same service and customisation.
/// </summary>
internal sealed class JsonProblemDetailsWriter : IProblemDetailsWriter
{
    private const string ProblemJson = "application/problem+json";

    // Registered after the default writer, so it is asked only when that one declined; never twice for a request.
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Headers.Accept != ProblemJson;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        context.HttpContext.Request.Headers.Accept = ProblemJson;
        return context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(context);
    }
}
