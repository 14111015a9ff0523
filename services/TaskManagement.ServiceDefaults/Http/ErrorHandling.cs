using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// Every error leaves as RFC 9457 ProblemDetails JSON carrying an <c>error</c> member with the
/// message (the original API's shape) and a trace id; never a stack trace or SQL.
/// </summary>
public static class ErrorHandling
{
    internal static void AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            if (problem is HttpValidationProblemDetails { Detail: null } validation)
            {
                FromValidationFilter(validation);
            }

            problem.Title ??= ReasonPhrase(problem.Status ?? ctx.HttpContext.Response.StatusCode);
            problem.Extensions["error"] = problem.Detail ?? problem.Title;
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            problem.Instance ??= ctx.HttpContext.Request.Path;
        });
        builder.Services.AddSingleton<IProblemDetailsWriter, JsonProblemDetailsWriter>();
        builder.Services.AddExceptionHandler<BadRequestBodyHandler>();
        builder.Services.AddExceptionHandler<ServiceBusyHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
        builder.Services.AddExceptionHandler<UnexpectedErrorHandler>();

        // Bad JSON must become a 400 naming the field, so binding failures are thrown, not swallowed.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => ConfigureJson(o.SerializerOptions));
    }

    /// <summary>API JSON rules: camelCase, enums as snake_case strings only, numbers as numbers only, unknown members rejected.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        // The web defaults also read "5" as 5, and the OpenAPI documents then type every number as
        // integer-or-string; numbers are always written as numbers, so say (and accept) exactly that.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    /// <summary>A 400 ValidationProblem whose <c>error</c> lists every failed rule.</summary>
    public static ValidationProblem ValidationProblem(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: "One or more validation errors occurred.");

    /// <summary>A ProblemDetails result with the given status and message.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title ?? ReasonPhrase(status));

    /// <summary>
    /// The built-in validation (<c>AddValidation()</c>, DataAnnotations on request types) keys errors by CLR member
    /// name and leaves <c>detail</c> empty: the house format keys them as the JSON members are spelt (camelCase) and
    /// carries every message in <c>detail</c> (hence <c>error</c>), as <see cref="ValidationProblem"/> does.
    /// </summary>
    private static void FromValidationFilter(HttpValidationProblemDetails problem)
    {
        var errors = problem.Errors.ToList();
        problem.Errors.Clear();
        foreach (var (key, messages) in errors)
        {
            var name = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            problem.Errors[name] = problem.Errors.TryGetValue(name, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        problem.Detail = string.Join(" ", problem.Errors.SelectMany(e => e.Value));
    }

    /// <summary>Load shed: 503 with the Retry-After the service estimated (whole seconds, at least 1).</summary>
    internal static Task WriteBusyAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, ServiceBusyException.DefaultMessage).ExecuteAsync(context);
    }

    internal static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    private static ValueTask<bool> WriteAsync(HttpContext context, Exception exception, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Malformed JSON, unknown members, wrong types and unknown enum values: 400 naming the field.</summary>
    private sealed class BadRequestBodyHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return await WriteAsync(context, exception, new ProblemDetails { Status = 413, Detail = "The request body is too large." });
            }

            var json = bad.InnerException as JsonException;
            var field = FieldName(json?.Path);
            var message = json is null
                ? "The request could not be read."
                : field is null ? "The request body is not valid JSON." : $"The value of '{field}' is not valid.";
            if (json?.Message.Contains("could not be mapped", StringComparison.Ordinal) == true && field is not null)
            {
                message = $"'{field}' is not a known field.";
            }

            var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field ?? "body"] = [message] })
            {
                Status = bad.StatusCode,
                Title = "One or more validation errors occurred.",
                Detail = message,
            };
            return await WriteAsync(context, exception, problem);
        }

        // "$.priority" → "priority"; "$.tags[0]" → "tags[0]"; "$" → null.
        private static string? FieldName(string? path) =>
            string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    /// <summary>Load shed (<see cref="ServiceBusyException"/>): 503 with the Retry-After the service estimated.</summary>
    private sealed class ServiceBusyHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not ServiceBusyException busy)
            {
                return false;
            }

            await WriteBusyAsync(context, busy.RetryAfter);
            return true;
        }
    }

    /// <summary>
    /// Database or broker unreachable: 503 with Retry-After; the next request tries again. Socket errors and timeouts
    /// are recognised here; a data-access building block adds its own (<see cref="UnavailableDependencyOptions"/>).
    /// </summary>
    private sealed class DependencyUnavailableHandler(ILogger<DependencyUnavailableHandler> logger, IOptions<UnavailableDependencyOptions> options) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsUnavailable(exception))
            {
                return false;
            }

            logger.LogWarning(exception, "A dependency is unavailable; answering 503");
            context.Response.Headers.RetryAfter = "5";
            return await WriteAsync(context, exception, new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The service is temporarily unavailable. Please try again shortly.",
            });
        }

        private bool IsUnavailable(Exception exception)
        {
            var recognisers = options.Value.Recognisers;
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is SocketException or TimeoutException || recognisers.Any(isUnavailable => isUnavailable(e)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class UnexpectedErrorHandler(ILogger<UnexpectedErrorHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nobody is left to read a body.
                context.Response.StatusCode = 499;
                return true;
            }

            logger.LogError(exception, "Unhandled exception");
            return await WriteAsync(context, exception, new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred.",
            });
        }
    }
}
