using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TaskManagement.ServiceDefaults.Data;

namespace TaskManagement.Tasks.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a database or the app's configuration.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TasksDbContext>
{
    public TasksDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<TasksDbContext>()
        .UseMySql("Server=localhost;Database=tasks", ServerVersion.Parse(MySqlDatabase.DefaultServerVersion))
        .Options);
}
