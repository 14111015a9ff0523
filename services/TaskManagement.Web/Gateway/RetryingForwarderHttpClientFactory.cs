using Yarp.ReverseProxy.Forwarder;

namespace TaskManagement.Web.Gateway;

/// <summary>
/// YARP's client factory with <see cref="IdempotentRetryHandler"/> wrapped around each cluster's handler, except the
/// live task stream's: a reconnecting browser resumes it with <c>Last-Event-ID</c> (VirtualService: <c>attempts: 0</c>).
/// </summary>
public sealed class RetryingForwarderHttpClientFactory(GatewayOptions options, TimeProvider time)
    : ForwarderHttpClientFactory
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        context.ClusterId == GatewayExtensions.TasksStream
            ? base.WrapHandler(context, handler)
            : new IdempotentRetryHandler(options.RetryAttempts, options.RetryBaseDelay, time) { InnerHandler = base.WrapHandler(context, handler) };
}
