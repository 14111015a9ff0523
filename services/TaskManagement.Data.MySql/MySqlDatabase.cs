using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using TaskManagement.ServiceDefaults;
using TaskManagement.ServiceDefaults.Http;

namespace TaskManagement.Data.MySql;

/// <summary>A service's own MySQL/MariaDB database through EF Core (Pomelo): registration, readiness, migrations.</summary>
public static class MySqlDatabase
{
    /// <summary>The server version Pomelo generates SQL for when <c>Database:ServerVersion</c> is not set (production MySQL).</summary>
    public const string DefaultServerVersion = "8.0.36-mysql";

    /// <summary>
    /// Registers <typeparamref name="TContext"/> on the <c>ConnectionStrings:Database</c> MySQL/MariaDB server, adds it
    /// to readiness and answers 503 (not 500) while the server is unreachable. The server version is configured, not
    /// detected, so start-up needs no database (locally scripts/service-env.sh and the test harness's
    /// Infrastructure.ServerVersion detect it once).
    /// </summary>
    public static WebApplicationBuilder AddMySqlDbContext<TContext>(this WebApplicationBuilder builder)
        where TContext : DbContext
    {
        var connectionString = ConnectionString(builder.Configuration);
        var serverVersion = ServerVersion.Parse(builder.Configuration["Database:ServerVersion"] ?? DefaultServerVersion);
        // Pooled: a request leases a reset context instead of building one and its services (docs/benchmarks.md).
        builder.Services.AddDbContextPool<TContext>(o => o
            .UseMySql(connectionString, serverVersion, mysql => mysql.CommandTimeout(15)));
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: [Health.Ready]);
        builder.Services.Configure<UnavailableDependencyOptions>(o => o.Recognisers.Add(IsUnavailable));
        return builder;
    }

    /// <summary>The server is down or unreachable (or EF gave up retrying), as opposed to a bad statement.</summary>
    public static bool IsUnavailable(Exception exception) => exception is
        MySqlException { IsTransient: true }
        or MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost }
        or DbUpdateException { InnerException: MySqlException }
        or RetryLimitExceededException;

    /// <summary>The connection string with short timeouts, so an outage answers 503 quickly instead of hanging.</summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var raw = configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured (run scripts/infra.sh up, see README).");
        var csb = new MySqlConnectionStringBuilder(raw);
        if (!raw.Contains("Connection Timeout", StringComparison.OrdinalIgnoreCase) && !raw.Contains("ConnectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            csb.ConnectionTimeout = 5;
        }

        return csb.ConnectionString;
    }

    /// <summary>
    /// Applies pending migrations when <c>Database:MigrateOnStartup</c> is true (the local default; Kubernetes
    /// runs a migration Job instead). Waits for the server up to <c>Database:StartupTimeout</c>.
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        if (!app.Configuration.GetValue("Database:MigrateOnStartup", true))
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrations");
        var deadline = DateTime.UtcNow + app.Configuration.GetValue("Database:StartupTimeout", TimeSpan.FromSeconds(60));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database schema of {Context} is up to date", typeof(TContext).Name);
                return;
            }
            catch (MySqlException ex) when (DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }
}
