using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TaskManagement.Tasks.Features;

/// <summary>
/// The list's <c>sort</c> parameter names its keys in the OpenAPI document (from <see cref="TaskSort"/>), so clients,
/// the browser app's generated types among them, take them from there instead of repeating them.
/// </summary>
public static class TaskSortDocumentation
{
    public static WebApplicationBuilder DocumentTaskSortKeys(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer((operation, _, _) =>
        {
            var sort = operation.Parameters?.FirstOrDefault(p => p is { Name: "sort", In: ParameterLocation.Query });
            if (sort is OpenApiParameter { Schema: OpenApiSchema { Items: OpenApiSchema keys } })
            {
                keys.Enum = [.. TaskSort.Keys.Select(key => (JsonNode)JsonValue.Create(key))];
            }

            return Task.CompletedTask;
        }));
        return builder;
    }
}
