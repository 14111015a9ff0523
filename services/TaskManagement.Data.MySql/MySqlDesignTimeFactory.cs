using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TaskManagement.Data.MySql;

/// <summary>
/// Lets `dotnet ef migrations add` build a service's model without a database or the app's configuration:
/// each service derives one line from it, since EF looks for the factory in the service's own assembly.
/// </summary>
public abstract class MySqlDesignTimeFactory<TContext>(string database, Func<DbContextOptions<TContext>, TContext> create)
    : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) => create(new DbContextOptionsBuilder<TContext>()
        .UseMySql($"Server=localhost;Database={database}", ServerVersion.Parse(MySqlDatabase.DefaultServerVersion))
        .Options);
}
