namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// The service refuses work it could not finish in time (load shedding): answered 503 with <c>Retry-After</c> at
/// once, instead of queueing the request until the client gives up.
/// </summary>
public sealed class ServiceBusyException(TimeSpan retryAfter) : Exception(DefaultMessage)
{
    public const string DefaultMessage = "The service is busy. Please try again shortly.";

    public TimeSpan RetryAfter { get; } = retryAfter;
}
