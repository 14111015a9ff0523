using TaskManagement.Tasks.Data;

namespace TaskManagement.Tasks.Features;

/// <summary>A list order: its key in the query (<c>sort=-priority</c>) and the order it stands for.</summary>
public sealed class TaskSort
{
    // Every order ends with the id, so pages never overlap or skip rows. Tasks without a due date come last both ways.
    private static readonly TaskSort[] All =
    [
        new("created", q => q.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)),
        new("-created", q => q.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id)),
        new("priority", q => q.OrderBy(t => t.Priority).ThenByDescending(t => t.CreatedAt).ThenBy(t => t.Id)),
        new("-priority", q => q.OrderByDescending(t => t.Priority).ThenByDescending(t => t.CreatedAt).ThenBy(t => t.Id)),
        new("updated", q => q.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id)),
        new("-updated", q => q.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Id)),
        new("due", q => q.OrderBy(t => t.DueDate == null).ThenBy(t => t.DueDate).ThenBy(t => t.Id)),
        new("-due", q => q.OrderBy(t => t.DueDate == null).ThenByDescending(t => t.DueDate).ThenBy(t => t.Id)),
        new("title", q => q.OrderBy(t => t.Title).ThenBy(t => t.Id)),
    ];

    private readonly Func<IQueryable<TaskItem>, IOrderedQueryable<TaskItem>> _order;

    private TaskSort(string key, Func<IQueryable<TaskItem>, IOrderedQueryable<TaskItem>> order) => (Key, _order) = (key, order);

    /// <summary>Every key, in the order the API documents them.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(s => s.Key)];

    /// <summary>Newest first.</summary>
    public static TaskSort Default { get; } = All[1];

    public string Key { get; }

    public static TaskSort? Find(string key) => Array.Find(All, s => s.Key == key);

    public IOrderedQueryable<TaskItem> Apply(IQueryable<TaskItem> tasks) => _order(tasks);
}
