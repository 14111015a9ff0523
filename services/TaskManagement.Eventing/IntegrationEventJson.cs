using System.Text.Json;

namespace TaskManagement.Eventing;

/// <summary>How event <c>data</c> is written and read: camelCase JSON, the same names the HTTP API uses.</summary>
public static class IntegrationEventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
