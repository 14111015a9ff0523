namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// Exceptions that mean a dependency is unreachable rather than a bug: answered 503 with Retry-After instead of 500.
/// ServiceDefaults knows socket errors and timeouts; a data-access building block adds its driver's (the MySQL one
/// does in <c>AddMySqlDbContext</c>). Each recogniser sees every exception of the chain, outermost first.
/// </summary>
public sealed class UnavailableDependencyOptions
{
    public IList<Func<Exception, bool>> Recognisers { get; } = [];
}
