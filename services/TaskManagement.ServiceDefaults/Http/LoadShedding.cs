using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// Refuses an endpoint's request with 503 + <c>Retry-After</c> before anything else of it runs (authentication, rate
/// limits, reading and binding the body) when the scarce resource it needs would not take it now. Under a storm of
/// clients that retry at once, each refusal then costs next to nothing, leaving the cores to the admitted work.
/// </summary>
public static class LoadShedding
{
    /// <summary>Sheds this endpoint's requests while <typeparamref name="TAdmission"/> (a registered service) says it is full.</summary>
    public static RouteHandlerBuilder ShedWhenBusy<TAdmission>(this RouteHandlerBuilder endpoint)
        where TAdmission : class, IWorkAdmission =>
        endpoint.WithMetadata(new ShedWhenBusyMetadata(typeof(TAdmission)))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>After routing (the endpoint is known), before authentication and the body readers.</summary>
    internal static void UseLoadShedding(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ShedWhenBusyMetadata>() is { } shed
                && !((IWorkAdmission)context.RequestServices.GetRequiredService(shed.Admission)).WouldAdmit(out var retryAfter))
            {
                await ErrorHandling.WriteBusyAsync(context, retryAfter);
                return;
            }

            await next(context);
        });

    private sealed record ShedWhenBusyMetadata(Type Admission);
}
