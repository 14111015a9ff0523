using Yarp.ReverseProxy.Forwarder;

namespace TaskManagement.Web.Gateway;

/// <summary>YARP's client factory with <see cref="IdempotentRetryHandler"/> wrapped around each cluster's handler.</summary>
public sealed class RetryingForwarderHttpClientFactory(GatewayOptions options, TimeProvider time)
    : ForwarderHttpClientFactory
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new IdempotentRetryHandler(options.RetryAttempts, options.RetryBaseDelay, time) { InnerHandler = base.WrapHandler(context, handler) };
}
