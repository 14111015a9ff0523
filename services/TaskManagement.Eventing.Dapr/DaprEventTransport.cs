using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TaskManagement.Eventing.Dapr;

/// <summary>
/// Publishes through the Dapr sidecar's documented HTTP API: <c>POST /v1.0/publish/{pubsubname}/{topic}</c>
/// with <c>Content-Type: application/cloudevents+json</c>, so daprd keeps our id/type/source/data/traceparent
/// and only sets <c>topic</c>/<c>pubsubname</c>. DaprClient's publish goes over gRPC, which offers no more and
/// cannot be contract-tested against the documented HTTP shape; DaprClient/Dapr.AspNetCore serve the
/// subscription side.
/// </summary>
internal sealed class DaprEventTransport(HttpClient http, IOptions<EventsOptions> options) : IEventTransport
{
    public const string HttpClientName = "dapr-sidecar";

    public async Task PublishAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        var pubsub = Uri.EscapeDataString(options.Value.Dapr.PubSubName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1.0/publish/{pubsub}/{Uri.EscapeDataString(outgoing.Topic)}")
        {
            Content = new ReadOnlyMemoryContent(outgoing.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventFormatter.MediaType);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Dapr sidecar refused the publish: {(int)response.StatusCode} {detail}", null, response.StatusCode);
        }
    }

    /// <summary>DAPR_HTTP_ENDPOINT, else http://127.0.0.1:DAPR_HTTP_PORT (3500 by default).</summary>
    public static Uri SidecarAddress(IConfiguration configuration)
    {
        var endpoint = configuration["DAPR_HTTP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            endpoint = $"http://127.0.0.1:{configuration["DAPR_HTTP_PORT"] ?? "3500"}";
        }

        return new Uri(endpoint.TrimEnd('/') + "/");
    }

    /// <summary>Sets the base address and, when the sidecar requires it, the <c>dapr-api-token</c> header.</summary>
    public static void Configure(HttpClient http, IConfiguration configuration)
    {
        http.BaseAddress = SidecarAddress(configuration);
        if (configuration["DAPR_API_TOKEN"] is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Add("dapr-api-token", token);
        }
    }
}
