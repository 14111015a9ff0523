using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TaskManagement.ServiceDefaults.Data;

namespace TaskManagement.Auth.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a database or the app's configuration.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AuthDbContext>
{
    public AuthDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AuthDbContext>()
        .UseMySql("Server=localhost;Database=auth", ServerVersion.Parse(MySqlDatabase.DefaultServerVersion))
        .Options);
}
