using System.Net;

namespace TaskManagement.Web.Gateway;

/// <summary>
/// The VirtualService's retry policy, applied inside YARP's outgoing HTTP pipeline:
/// <c>attempts: 2, retryOn: connect-failure,refused-stream,503</c>, for idempotent methods only
/// (GET, HEAD, OPTIONS, PUT, DELETE). POST and PATCH are never retried, so nothing is done twice.
/// </summary>
/// <remarks>
/// A PUT or DELETE body is buffered before the first try so it can be sent again; Kestrel caps
/// request bodies at <c>Http:MaxRequestBodyBytes</c> (64 KiB), so the buffer is small.
/// A refused HTTP/2 stream is already retried by <see cref="SocketsHttpHandler"/> itself.
/// </remarks>
public sealed class IdempotentRetryHandler(int retryAttempts, TimeSpan baseDelay, TimeProvider time) : DelegatingHandler
{
    private static readonly HashSet<HttpMethod> Idempotent =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put, HttpMethod.Delete];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (retryAttempts <= 0 || !Idempotent.Contains(request.Method))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt <= retryAttempts)
            {
                await DelayAsync(attempt, cancellationToken);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt > retryAttempts)
            {
                return response;
            }

            response.Dispose();
            await DelayAsync(attempt, cancellationToken);
        }
    }

    private Task DelayAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(baseDelay * Math.Pow(2, attempt - 1), time, cancellationToken);
}
