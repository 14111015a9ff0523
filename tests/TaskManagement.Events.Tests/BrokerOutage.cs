using System.Globalization;

namespace TaskManagement.Events.Tests;

/// <summary>
/// Service settings for an outage test: the service publishes through a proxy the test cuts, and its outbox
/// retries and publish timeout are short enough that the backlog drains within the test once the proxy is back.
/// </summary>
internal static class BrokerOutage
{
    /// <summary>A started proxy to the test broker, for the test to cut (<c>Stop</c>) and restore (<c>Start</c>).</summary>
    public static TcpProxy StartProxy()
    {
        var proxy = new TcpProxy(Infrastructure.AmqpHost, Infrastructure.AmqpPort);
        proxy.Start();
        return proxy;
    }

    public static Dictionary<string, string?> ServiceSettings(TcpProxy proxy, TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan publishTimeout)
    {
        var settings = AmqpEventListener.ServiceSettings(proxy.Port);
        settings["Events:Outbox:InitialBackoff"] = initialBackoff.ToString("c", CultureInfo.InvariantCulture);
        settings["Events:Outbox:MaxBackoff"] = maxBackoff.ToString("c", CultureInfo.InvariantCulture);
        settings["Events:PublishTimeout"] = publishTimeout.ToString("c", CultureInfo.InvariantCulture);
        return settings;
    }
}
