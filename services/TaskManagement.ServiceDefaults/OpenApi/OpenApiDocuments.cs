using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace TaskManagement.ServiceDefaults.OpenApi;

/// <summary>
/// The services' OpenAPI documents say how to call them: a bearer JWT scheme, a security requirement on
/// every operation that needs a token (none on anonymous ones), and the 401/403/429 answers where they apply.
/// </summary>
public static class OpenApiDocuments
{
    /// <summary>The security scheme's name in <c>components.securitySchemes</c>.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>The ProblemDetails shape every error has (<c>components.schemas</c>).</summary>
    public const string ProblemSchema = "Problem";

    /// <summary>Where the interactive reference is served (Development, or <c>OpenApi:Enabled</c>).</summary>
    public const string ReferencePath = "/scalar";

    internal static void AddDocumentedOpenApi(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(AddComponents);
            options.AddOperationTransformer(DescribeAccess);
        });

    internal static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle($"{app.Environment.ApplicationName} API")
                .AddPreferredSecuritySchemes(BearerScheme)
                .DisableTelemetry())
            .DisableRateLimiting()
            // Scalar's page runs its bundled script and inline configuration; the API's CSP allows nothing.
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
                return await next(context);
            });

    private static Task AddComponents(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An RS256 access token from POST /api/auth/login, sent as `Authorization: Bearer <token>`. "
                + "Keys: /api/auth/.well-known/jwks.json (discovery: /api/auth/.well-known/openid-configuration).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; `error` repeats the message for the original API's clients.",
            Required = new HashSet<string> { "status", "title", "error" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        return Task.CompletedTask;
    }

    private static Task DescribeAccess(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        // The same rules the authorization and rate-limiting middleware apply: AllowAnonymous / Disable win.
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var isProtected = authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any();
        var isLimited = metadata.OfType<EnableRateLimitingAttribute>().Any() && !metadata.OfType<DisableRateLimitingAttribute>().Any();
        operation.Responses ??= new OpenApiResponses();

        if (isProtected)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            AddProblem(operation, context, StatusCodes.Status401Unauthorized, "The bearer token is missing, invalid, expired or revoked.");
            if (authorize.Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)))
            {
                AddProblem(operation, context, StatusCodes.Status403Forbidden, "The token is valid but does not grant this operation.");
            }
        }

        if (isLimited)
        {
            var tooMany = AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "Too many requests from this client; retry after `Retry-After` seconds.");
            tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
            tooMany.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds until the limit resets.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            };
        }

        return Task.CompletedTask;
    }

    private static OpenApiResponse AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse documented)
        {
            return documented;
        }

        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
            },
        };
        operation.Responses[key] = response;
        return response;
    }
}
