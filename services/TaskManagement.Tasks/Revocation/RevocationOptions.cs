namespace TaskManagement.Tasks.Revocation;

/// <summary>Configuration section <c>Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string Section = "Revocation";

    /// <summary>
    /// How often each replica reads new rows from the shared table. The <c>users</c> queue is a competing
    /// consumer: a replica sees only its share of the events, the others learn them from the table.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the whole table is read again (and expired rows pruned): the backstop for any missed row.</summary>
    public TimeSpan FullReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}
