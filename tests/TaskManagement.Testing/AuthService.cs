using TaskManagement.Auth.Data;

namespace TaskManagement.Testing;

/// <summary>The real Auth service on its own throwaway database, with generous limits unless a test sets them.</summary>
public sealed class AuthService : ServiceHost<AuthDbContext>
{
    public AuthService(string connectionString, string signingKeyPath, IDictionary<string, string?>? overrides = null)
        : base(Settings(connectionString, signingKeyPath, overrides))
    {
        SigningKeyPath = signingKeyPath;
    }

    public string SigningKeyPath { get; }

    public static string NewKeyPath() => Path.Combine(Path.GetTempPath(), "taskmanagement-tests", $"{Guid.NewGuid():N}.pem");

    private static Dictionary<string, string?> Settings(string connectionString, string signingKeyPath, IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["Database:ServerVersion"] = Infrastructure.ServerVersion,
            ["Jwt:DevelopmentKeyPath"] = signingKeyPath,
            // Low work factor keeps the suite fast; the hashing path is the same.
            ["Passwords:WorkFactor"] = "4",
            ["RateLimiting:General:PermitLimit"] = "100000",
            ["RateLimiting:Register:PermitLimit"] = "100000",
            ["RateLimiting:Login:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in AmqpEventListener.ServiceSettings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
