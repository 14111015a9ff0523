using TaskManagement.Tasks.Data;

namespace TaskManagement.Testing;

/// <summary>The real Task service on its own throwaway database, validating tokens through the given Auth's discovery.</summary>
/// <remarks>
/// Each instance consumes the shared <c>users</c> exchange through its own queue (consumer group
/// <see cref="ConsumerGroup"/>), removed again on dispose, so parallel test classes never steal each other's events.
/// </remarks>
public sealed class TasksService : ServiceHost<TasksDbContext>
{
    public TasksService(string connectionString, Uri authBaseAddress, IDictionary<string, string?>? overrides = null)
        : this(connectionString, authBaseAddress, overrides, $"tasks-test-{Guid.NewGuid():N}"[..24])
    {
    }

    private TasksService(string connectionString, Uri authBaseAddress, IDictionary<string, string?>? overrides, string consumerGroup)
        : base(Settings(connectionString, authBaseAddress, overrides, consumerGroup))
    {
        ConsumerGroup = consumerGroup;
    }

    public string ConsumerGroup { get; }

    /// <summary>The queue this instance consumes <c>users</c> events from.</summary>
    public string UsersQueue => $"{ConsumerGroup}-users";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Durable queues outlive the process; a test's queue must not keep collecting events.
        await AmqpEventListener.DeleteAsync([UsersQueue, $"{UsersQueue}_error", $"{UsersQueue}_skipped"], [UsersQueue, $"{UsersQueue}_error", $"{UsersQueue}_skipped"]);
    }

    private static Dictionary<string, string?> Settings(string connectionString, Uri authBaseAddress, IDictionary<string, string?>? overrides, string consumerGroup)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["Database:ServerVersion"] = Infrastructure.ServerVersion,
            ["Jwt:Authority"] = new Uri(authBaseAddress, "/api/auth").ToString(),
            ["RateLimiting:General:PermitLimit"] = "100000",
            ["RateLimiting:TaskCreate:PermitLimit"] = "100000",
            ["Events:ConsumerGroup"] = consumerGroup,
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
