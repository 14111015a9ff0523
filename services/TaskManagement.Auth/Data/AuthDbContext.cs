using Microsoft.EntityFrameworkCore;
using TaskManagement.Eventing.Outbox;

namespace TaskManagement.Auth.Data;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options), IOutboxDbContext
{
    public DbSet<User> Users => Set<User>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasCharSet("utf8mb4");
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasColumnName("id");
            e.Property(u => u.Username).HasColumnName("username").HasMaxLength(User.UsernameMaxLength);
            e.Property(u => u.NormalizedUsername).HasColumnName("normalized_username").HasMaxLength(User.UsernameMaxLength);
            e.HasIndex(u => u.NormalizedUsername).IsUnique().HasDatabaseName("ux_users_normalized_username");
            e.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(100);
            e.Property(u => u.CreatedAt).HasColumnName("created_at");
            e.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            e.Property(u => u.CredentialsValidFrom).HasColumnName("credentials_valid_from");
        });
        modelBuilder.AddOutbox();
    }
}
