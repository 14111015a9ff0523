using System.Collections.Concurrent;
using System.Data;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace TaskManagement.Auth.Data;

/// <summary>
/// The form in which the database compares a username: the weight string of the name under the collation
/// of <c>users.normalized_username</c>. "name ", "NAME", "náme" and "ｎａｍｅ" all give the same key on an
/// accent- and case-insensitive collation, so the login limiter counts them as one name: exactly what the
/// database would match, on whatever collation it was created with. The same whether the account exists or not.
/// </summary>
public static partial class UsernameComparison
{
    private static readonly ConcurrentDictionary<string, string> CollationByDatabase = new(StringComparer.Ordinal);

    public static async Task<string> ComparisonKeyAsync(this AuthDbContext db, string username, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var collation = CollationByDatabase.TryGetValue(connection.ConnectionString, out var known)
            ? known
            : CollationByDatabase[connection.ConnectionString] = await ColumnCollationAsync(db, ct);

        // PAD SPACE collations ignore trailing spaces in comparisons but not in WEIGHT_STRING.
        var sql = $"SELECT HEX(WEIGHT_STRING(CONVERT({{0}} USING utf8mb4) COLLATE {collation})) AS `Value`";
        var key = await db.Database.SqlQueryRaw<string>(sql, username.TrimEnd(' ')).SingleAsync(ct);
        return key;
    }

    private static async Task<string> ColumnCollationAsync(AuthDbContext db, CancellationToken ct)
    {
        var collation = await db.Database.SqlQueryRaw<string>(
            "SELECT COLLATION_NAME AS `Value` FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'normalized_username'")
            .SingleAsync(ct);
        // Interpolated into SQL (a collation cannot be a parameter): accept only a plain identifier.
        return CollationName().IsMatch(collation) ? collation : throw new InvalidOperationException($"Unexpected collation '{collation}'.");
    }

    [GeneratedRegex(@"\A[a-z0-9_]{1,64}\z")]
    private static partial Regex CollationName();
}
