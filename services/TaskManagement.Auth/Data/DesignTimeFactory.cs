using TaskManagement.Data.MySql;

namespace TaskManagement.Auth.Data;

internal sealed class DesignTimeFactory() : MySqlDesignTimeFactory<AuthDbContext>("auth", options => new AuthDbContext(options));
