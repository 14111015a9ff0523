using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests.Pages;

/// <summary>/dashboard: summary, filters, the task list, the pager and the task dialogs.</summary>
public sealed class DashboardPage(IPage page) : AppPage(page, "/dashboard")
{
    public ILocator Title => Heading("Your tasks");

    public ILocator ListHeading => Heading("Task list");

    public ILocator NewTask => Button("New task");

    public ILocator Tasks => Page.Locator("li.task");

    public ILocator TaskTitles => Page.Locator("li.task h3");

    public ILocator ResultsCount => Page.Locator(".results-count");

    /// <summary>The live-update status line ("Connecting…", "Live", "Reconnecting…"), a polite live region.</summary>
    public ILocator LiveStatus => Page.Locator(".live-status[role='status'][aria-live='polite']");

    public ILocator Filters => Page.GetByRole(AriaRole.Search);

    public ILocator Search => Filters.GetByLabel("Search");

    public ILocator StatusFilter => Filters.GetByLabel("Status");

    public ILocator PriorityFilter => Filters.GetByLabel("Priority");

    public ILocator SortBy => Filters.GetByLabel("Sort by");

    public ILocator ClearFilters => Filters.GetByRole(AriaRole.Button, new() { Name = "Clear filters" });

    public ILocator Pager => Page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });

    public ILocator NewTaskDialog => Page.GetByRole(AriaRole.Dialog, new() { Name = "New task" });

    public ILocator EditDialog => Page.GetByRole(AriaRole.Dialog, new() { Name = "Edit task" });

    public ILocator DeleteConfirmation => Page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete this task?" });

    /// <summary>The list item of the task with this exact title.</summary>
    public ILocator Card(string title) =>
        Tasks.Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }) });

    /// <summary>The status badge of a task, e.g. <c>pending</c> or <c>completed</c>.</summary>
    public ILocator StatusBadge(string title, string status) => Card(title).Locator($".badge-status-{status}");

    /// <summary>One count of the summary strip (total, pending, in_progress, completed, high, rate).</summary>
    public ILocator Summary(string key) => Page.Locator($"[data-summary='{key}'] dd");

    /// <summary>A task's action button: Start, Complete, Pause, Reopen, Edit or Delete.</summary>
    public ILocator Action(string action, string title) => Button($"{action} “{title}”");

    /// <summary>Creates a task through the dialog (checking its focus and labels) and waits for its card.</summary>
    public async Task CreateTaskAsync(string title, string priority, string? description = null, string? dueDate = null)
    {
        await NewTask.ClickAsync();
        var dialog = NewTaskDialog;
        await Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await ExpectEveryInputLabelledAsync();
        await dialog.GetByLabel("Title").FillAsync(title);
        if (description is not null)
        {
            await dialog.GetByLabel("Description").FillAsync(description);
        }

        await dialog.GetByLabel("Priority").SelectOptionAsync(priority);
        if (dueDate is not null)
        {
            await dialog.GetByLabel("Due date").FillAsync(dueDate);
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Card(title)).ToBeVisibleAsync();
    }

    public async Task EditTaskAsync(string title, string newTitle, string priority)
    {
        await Action("Edit", title).ClickAsync();
        await Expect(EditDialog.GetByLabel("Title")).ToHaveValueAsync(title);
        await EditDialog.GetByLabel("Title").FillAsync(newTitle);
        await EditDialog.GetByLabel("Priority").SelectOptionAsync(priority);
    }

    public async Task SaveEditAsync()
    {
        await EditDialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(EditDialog).ToBeHiddenAsync();
    }

    public async Task AskToDeleteAsync(string title) => await Action("Delete", title).ClickAsync();

    public async Task ConfirmDeleteAsync() =>
        await DeleteConfirmation.GetByRole(AriaRole.Button, new() { Name = "Delete task" }).ClickAsync();

    /// <summary>The bearer token of the signed-in session, for calling the API as this user.</summary>
    public async Task<string> TokenAsync()
    {
        var json = await StoredSessionAsync() ?? throw new InvalidOperationException("No session is stored in this tab.");
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;
    }
}
