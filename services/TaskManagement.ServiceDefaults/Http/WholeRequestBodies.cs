using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// A write acts only on a request that arrived whole. An endpoint that takes no body (the status toggle,
/// DELETE) would otherwise commit before Kestrel meets a broken body (bad chunk framing, a client that
/// stops half-way) while draining it, and the client would see its connection drop after a change it
/// cannot know happened. The body (at most <c>Http:MaxRequestBodyBytes</c>) is read first; a framing error
/// is the usual 400 ProblemDetails, and the endpoint reads the buffered copy.
/// </summary>
public static class WholeRequestBodies
{
    internal static void UseWholeRequestBodies(this WebApplication app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            request.EnableBuffering();
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            request.Body.Position = 0;
        }

        await next(context);
    });

}
