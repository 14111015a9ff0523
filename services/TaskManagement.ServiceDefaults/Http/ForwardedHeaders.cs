using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// X-Forwarded-For is honoured only from configured proxies (loopback by default: the local
/// gateway and the Istio sidecar both connect from there), so a client that reaches a service
/// port directly cannot choose its own rate-limit bucket.
/// </summary>
public static class ForwardedHeaders
{
    internal static void AddForwardedHeadersFromTrustedProxies(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        var limit = builder.Configuration.GetValue("ForwardedHeaders:ForwardLimit", 1);
        var trustLoopback = builder.Configuration.GetValue("ForwardedHeaders:TrustLoopback", true);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = limit;
            if (!trustLoopback)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
            }

            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Empty lists would mean "trust every sender" to the middleware: with no trusted proxy, read no header.
            if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0)
            {
                o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None;
            }
        });
    }
}
