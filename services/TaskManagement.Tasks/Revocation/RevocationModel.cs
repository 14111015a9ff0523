using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Tasks.Revocation;

public static class RevocationModel
{
    public const string Table = "token_revocations";

    public static ModelBuilder AddTokenRevocations(this ModelBuilder model)
    {
        model.Entity<RevokedCredential>(e =>
        {
            e.ToTable(Table);
            e.HasKey(r => r.UserId);
            e.Property(r => r.UserId).HasColumnName("user_id");
            e.Property(r => r.NotBefore).HasColumnName("not_before");
            e.Property(r => r.Deleted).HasColumnName("deleted");
            e.Property(r => r.UpdatedAt).HasColumnName("updated_at");
            e.HasIndex(r => r.UpdatedAt).HasDatabaseName("ix_token_revocations_updated_at");
        });
        return model;
    }

    /// <summary>
    /// Records a revocation in the caller's transaction. Idempotent and order-independent: the later
    /// not-before wins and a deletion is never undone, so redelivered or reordered events change nothing.
    /// </summary>
    public static Task RecordRevocationAsync(this DbContext db, Guid userId, DateTimeOffset notBefore, bool deleted, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO token_revocations (user_id, not_before, deleted, updated_at)
            VALUES ({userId.ToString()}, {notBefore.UtcDateTime}, {deleted}, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE
                not_before = GREATEST(not_before, VALUES(not_before)),
                deleted = deleted OR VALUES(deleted),
                updated_at = UTC_TIMESTAMP(6)
            """, ct);
}
