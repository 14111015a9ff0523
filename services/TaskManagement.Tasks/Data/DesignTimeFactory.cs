using TaskManagement.Data.MySql;

namespace TaskManagement.Tasks.Data;

internal sealed class DesignTimeFactory() : MySqlDesignTimeFactory<TasksDbContext>("tasks", options => new TasksDbContext(options));
