using System.Diagnostics.Metrics;

namespace TaskManagement.Auth;

/// <summary>The Auth service's own metrics (meter <c>TaskManagement.Auth</c>).</summary>
public sealed class AuthMetrics
{
    public const string MeterName = "TaskManagement.Auth";

    private readonly Counter<long> _registrations;
    private readonly Counter<long> _logins;
    private readonly Histogram<double> _hashDuration;
    private readonly Counter<long> _hashesShed;

    public AuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _registrations = meter.CreateCounter<long>("taskmanagement.auth.registrations", description: "Accounts created.");
        _logins = meter.CreateCounter<long>("taskmanagement.auth.logins", description: "Login attempts by outcome.");
        _hashDuration = meter.CreateHistogram<double>("taskmanagement.auth.password_hash.duration", unit: "s", description: "BCrypt hash and verify time.");
        _hashesShed = meter.CreateCounter<long>("taskmanagement.auth.password_hash.shed", description: "BCrypt operations refused (503) because they could not finish within Passwords:MaxHashLatency.");
    }

    public void Registered() => _registrations.Add(1);

    /// <summary>outcome: success, invalid_credentials, rate_limited.</summary>
    public void Login(string outcome) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordHashDuration(string operation, TimeSpan elapsed) =>
        _hashDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void HashShed(string operation) => _hashesShed.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
