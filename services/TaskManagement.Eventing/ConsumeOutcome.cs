namespace TaskManagement.Eventing;

/// <summary>What became of one delivery.</summary>
public enum ConsumeOutcome
{
    /// <summary>The handler ran and the inbox row was committed with its effects.</summary>
    Handled,

    /// <summary>The event id is already in the inbox: no second effect.</summary>
    Duplicate,

    /// <summary>No handler wants this type; acknowledged.</summary>
    Ignored,
}
