using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TaskManagement.Web.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The product as a user meets it: headless Chromium against the real Auth and Tasks behind the
/// Web gateway, one test per flow, driven through the page objects in Pages/. Every step leaves a
/// screenshot in .artifacts/screenshots/ for whoever reads a failure.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BrowserTests(StackFixture stack) : IAsyncLifetime
{
    private const string StrongPassword = "Correct-Horse-42";
    private readonly BrowserDevices _devices = new(stack);

    public Task InitializeAsync()
    {
        SetDefaultExpectTimeout(10_000);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _devices.DisposeAsync();

    [Fact]
    public async Task Registration_explains_the_password_rules_and_welcomes_the_new_user()
    {
        var shots = new Screenshots("register");
        var register = new RegisterPage(await OpenAsync());
        var alice = UniqueName("alice");

        await register.GotoAsync();
        await Expect(register.Title).ToBeFocusedAsync();
        await register.ExpectEveryInputLabelledAsync();

        // A weak password is refused and the checklist shows what is missing.
        await register.FillAsync(alice, "weakpass1");
        await register.ExpectRuleAsync("lower", met: true);
        await register.ExpectRuleAsync("digit", met: true);
        await register.ExpectRuleAsync("length", met: false);
        await register.ExpectRuleAsync("upper", met: false);
        await register.ExpectRuleAsync("symbol", met: false);
        await register.Submit.ClickAsync();
        await Expect(register.Alert).ToContainTextAsync("fix the highlighted fields");
        await Expect(register.Page.GetByText("This password does not meet every requirement below.")).ToBeVisibleAsync();
        await Expect(register.Password).ToBeFocusedAsync();
        await Expect(register.Password).ToHaveAttributeAsync("aria-invalid", "true");
        await register.ExpectShownAsync();
        await shots.TakeAsync(register.Page, "weak-password-rejected");

        await register.Password.FillAsync(StrongPassword);
        foreach (var rule in RegisterPage.Rules)
        {
            await register.ExpectRuleAsync(rule, met: true);
        }

        await shots.TakeAsync(register.Page, "strong-password");
        await register.Submit.ClickAsync();
        var dashboard = new DashboardPage(register.Page);
        await dashboard.ExpectShownAsync();
        await Expect(dashboard.StatusSaying($"Welcome, {alice}!")).ToBeVisibleAsync();
        await Expect(dashboard.Page.GetByText("You have no tasks yet.")).ToBeVisibleAsync();
        await Expect(dashboard.Summary("total")).ToHaveTextAsync("0");
        await shots.TakeAsync(dashboard.Page, "dashboard-empty");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_taken_username_is_refused_next_to_the_field()
    {
        var shots = new Screenshots("register-taken");
        var name = UniqueName("taken");
        await new RegisterPage(await OpenAsync()).RegisterAsync(name, StrongPassword);

        var register = new RegisterPage(await OpenAsync());
        await register.GotoAsync();
        await register.FillAsync(name, StrongPassword);
        await register.Submit.ClickAsync();
        await Expect(register.UsernameError).ToBeVisibleAsync();
        await Expect(register.Username).ToBeFocusedAsync();
        await register.ExpectShownAsync();
        await shots.TakeAsync(register.Page, "username-taken");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Logging_out_and_back_in_works_with_the_keyboard_alone()
    {
        var shots = new Screenshots("login");
        var name = UniqueName("kim");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(name, StrongPassword);

        var login = await dashboard.LogOutAsync();
        await Expect(login.Notice("You have been logged out.")).ToBeVisibleAsync();
        await Expect(login.Title).ToBeFocusedAsync();
        var keyboard = login.Page.Keyboard;
        await keyboard.PressAsync("Tab");
        await Expect(login.Username).ToBeFocusedAsync();
        await keyboard.TypeAsync(name);
        await keyboard.PressAsync("Tab");
        await Expect(login.Password).ToBeFocusedAsync();
        await keyboard.TypeAsync(StrongPassword);
        await shots.TakeAsync(login.Page, "login");
        await keyboard.PressAsync("Enter");
        await dashboard.ExpectShownAsync();
        await Expect(dashboard.Title).ToBeFocusedAsync();
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Tasks_are_created_edited_completed_and_deleted_and_survive_a_reload()
    {
        var shots = new Screenshots("tasks");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("tess"), StrongPassword);
        await CreateThreeTasksAsync(dashboard, shots);

        await Expect(dashboard.Tasks).ToHaveCountAsync(3);
        await Expect(dashboard.Summary("total")).ToHaveTextAsync("3");
        await Expect(dashboard.Summary("pending")).ToHaveTextAsync("3");
        await Expect(dashboard.Summary("high")).ToHaveTextAsync("1");
        await Expect(dashboard.Summary("rate")).ToHaveTextAsync("0%");
        await Expect(dashboard.Card("Buy milk")).ToContainTextAsync("High");
        await Expect(dashboard.Card("Call plumber")).ToContainTextAsync("Low");
        await Expect(dashboard.Card("Write report")).ToContainTextAsync("Quarterly numbers for the board");
        await shots.TakeAsync(dashboard.Page, "three-tasks");
        await dashboard.SortBy.SelectOptionAsync("title");
        await Expect(dashboard.TaskTitles).ToHaveTextAsync(["Buy milk", "Call plumber", "Write report"]);

        await dashboard.EditTaskAsync("Write report", "Write quarterly report", priority: "high");
        await shots.TakeAsync(dashboard.Page, "edit-task-dialog");
        await dashboard.SaveEditAsync();
        await Expect(dashboard.Card("Write quarterly report")).ToContainTextAsync("High");
        await Expect(dashboard.StatusSaying("Task “Write quarterly report” saved.")).ToBeVisibleAsync();
        await Expect(dashboard.Summary("high")).ToHaveTextAsync("2");

        await dashboard.Action("Complete", "Buy milk").ClickAsync();
        await Expect(dashboard.StatusBadge("Buy milk", "completed")).ToHaveTextAsync("Status: Completed");
        await Expect(dashboard.Summary("completed")).ToHaveTextAsync("1");
        await Expect(dashboard.Summary("rate")).ToHaveTextAsync("33%");
        await shots.TakeAsync(dashboard.Page, "completed-one");

        // Delete one, after confirming; Cancel has focus, and focus lands on the list afterwards.
        await dashboard.AskToDeleteAsync("Call plumber");
        await Expect(dashboard.DeleteConfirmation).ToContainTextAsync("“Call plumber” will be deleted permanently.");
        await Expect(dashboard.DeleteConfirmation.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await shots.TakeAsync(dashboard.Page, "delete-confirmation");
        await dashboard.ConfirmDeleteAsync();
        await Expect(dashboard.Card("Call plumber")).ToHaveCountAsync(0);
        await Expect(dashboard.Summary("total")).ToHaveTextAsync("2");
        await Expect(dashboard.ListHeading).ToBeFocusedAsync();

        // Reload: the same state comes back from the server, and the session survives in this tab.
        await dashboard.Page.ReloadAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/dashboard\\?sort=title$"));
        await Expect(dashboard.TaskTitles).ToHaveTextAsync(["Buy milk", "Write quarterly report"]);
        await Expect(dashboard.StatusBadge("Buy milk", "completed")).ToBeVisibleAsync();
        await Expect(dashboard.StatusBadge("Write quarterly report", "pending")).ToBeVisibleAsync();
        await Expect(dashboard.Card("Write quarterly report")).ToContainTextAsync("High");
        await Expect(dashboard.Summary("total")).ToHaveTextAsync("2");
        await Expect(dashboard.Summary("completed")).ToHaveTextAsync("1");
        await Expect(dashboard.Summary("rate")).ToHaveTextAsync("50%");
        Assert.Equal(0, await dashboard.Page.EvaluateAsync<int>("() => localStorage.length"));
        await shots.TakeAsync(dashboard.Page, "after-reload");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Filters_and_sort_narrow_the_list_and_live_in_the_address_bar()
    {
        var shots = new Screenshots("filters");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("fred"), StrongPassword);
        await CreateThreeTasksAsync(dashboard, shots);

        await dashboard.PriorityFilter.SelectOptionAsync("high");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("priority=high"));
        await Expect(dashboard.Tasks).ToHaveCountAsync(1);
        await Expect(dashboard.Card("Buy milk")).ToBeVisibleAsync();
        await shots.TakeAsync(dashboard.Page, "high-priority");

        await dashboard.PriorityFilter.SelectOptionAsync("");
        await dashboard.StatusFilter.SelectOptionAsync("pending");
        await dashboard.Search.FillAsync("report");
        await Expect(dashboard.Tasks).ToHaveCountAsync(1);
        await Expect(dashboard.Card("Write report")).ToBeVisibleAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("status=pending.*q=report"));

        await dashboard.Search.FillAsync("no such task");
        await Expect(dashboard.Page.GetByText("No tasks match these filters.")).ToBeVisibleAsync();
        await shots.TakeAsync(dashboard.Page, "no-match");

        // Back and reload keep the filters, since they are in the address.
        await dashboard.Page.ReloadAsync();
        await Expect(dashboard.Search).ToHaveValueAsync("no such task");
        await Expect(dashboard.StatusFilter).ToHaveValueAsync("pending");
        await Expect(dashboard.Page.GetByText("No tasks match these filters.")).ToBeVisibleAsync();

        await dashboard.ClearFilters.ClickAsync();
        await Expect(dashboard.Tasks).ToHaveCountAsync(3);
        await dashboard.SortBy.SelectOptionAsync("title");
        await Expect(dashboard.TaskTitles).ToHaveTextAsync(["Buy milk", "Call plumber", "Write report"]);
        await dashboard.Page.GoBackAsync();
        await Expect(dashboard.SortBy).ToHaveValueAsync("-created");
        await Expect(dashboard.TaskTitles).ToHaveTextAsync(["Call plumber", "Write report", "Buy milk"]);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_pager_walks_through_the_list_and_an_emptied_last_page_falls_back()
    {
        var shots = new Screenshots("paging");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("paula"), StrongPassword);
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await dashboard.TokenAsync()}" };
        for (var i = 1; i <= 11; i++)
        {
            var created = await dashboard.Page.Context.APIRequest.PostAsync(
                "/api/tasks", new() { Headers = headers, DataObject = new { title = $"Task {i:00}", priority = "low", status = "pending" } });
            Assert.Equal(201, created.Status);
        }

        await dashboard.Page.ReloadAsync();
        await dashboard.SortBy.SelectOptionAsync("title");
        await Expect(dashboard.ResultsCount).ToHaveTextAsync("Showing 1–10 of 11");
        await Expect(dashboard.Pager).ToContainTextAsync("Page 1 of 2");
        await Expect(dashboard.Pager.GetByRole(AriaRole.Button, new() { Name = "Previous page" })).ToBeDisabledAsync();
        await shots.TakeAsync(dashboard.Page, "first-page");

        await dashboard.Pager.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("page=2"));
        await Expect(dashboard.ResultsCount).ToHaveTextAsync("Showing 11–11 of 11");
        await Expect(dashboard.TaskTitles).ToHaveTextAsync(["Task 11"]);
        await Expect(dashboard.ListHeading).ToBeFocusedAsync();
        await shots.TakeAsync(dashboard.Page, "second-page");

        // Deleting the only task on the last page shows the page before it.
        await dashboard.AskToDeleteAsync("Task 11");
        await dashboard.ConfirmDeleteAsync();
        await Expect(dashboard.Page).Not.ToHaveURLAsync(new Regex("page=2"));
        await Expect(dashboard.ResultsCount).ToHaveTextAsync("Showing 1–10 of 10");
        await Expect(dashboard.Pager).ToHaveCountAsync(0);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_change_the_server_refuses_is_rolled_back_with_a_message()
    {
        var shots = new Screenshots("rollback");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("rory"), StrongPassword);
        await dashboard.CreateTaskAsync("Write quarterly report", priority: "high");

        await dashboard.Page.RouteAsync("**/api/tasks/*", async route =>
        {
            if (route.Request.Method == "PATCH")
            {
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Body = "{\"status\":503,\"title\":\"Service Unavailable\",\"error\":\"The service is temporarily unavailable.\"}",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await dashboard.Action("Start", "Write quarterly report").ClickAsync();
        await Expect(dashboard.Alert).ToContainTextAsync("Could not update “Write quarterly report”.");
        await Expect(dashboard.Alert).ToContainTextAsync("Your change was undone.");
        await Expect(dashboard.StatusBadge("Write quarterly report", "pending")).ToBeVisibleAsync();
        await shots.TakeAsync(dashboard.Page, "rolled-back-after-error");
        await dashboard.Page.UnrouteAllAsync();
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_dashboard_fits_a_phone_screen()
    {
        var shots = new Screenshots("phone");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("phil"), StrongPassword);
        await dashboard.CreateTaskAsync("Buy milk", priority: "high");
        await dashboard.CreateTaskAsync("Write report", priority: "medium", description: "Quarterly numbers for the board", dueDate: "2030-01-15");

        await dashboard.Page.SetViewportSizeAsync(390, 844);
        await Expect(dashboard.Tasks).ToHaveCountAsync(2);
        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The dashboard scrolls sideways at phone width.");
        await shots.TakeAsync(dashboard.Page, "dashboard-phone-width");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_second_user_sees_none_of_the_first_users_tasks()
    {
        var shots = new Screenshots("isolation");
        var alice = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("alice"), StrongPassword);
        await alice.CreateTaskAsync("Buy milk", priority: "high");
        var aliceTaskId = await alice.Card("Buy milk").GetAttributeAsync("data-task-id");
        Assert.False(string.IsNullOrEmpty(aliceTaskId));

        // Logging out forgets the session: the dashboard sends the tab back to log in.
        var login = await alice.LogOutAsync();
        Assert.Null(await login.StoredSessionAsync());
        await alice.GotoAsync();
        await login.ExpectShownAsync();

        var bob = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("bob"), StrongPassword);
        await Expect(bob.Page.GetByText("You have no tasks yet.")).ToBeVisibleAsync();
        await Expect(bob.Summary("total")).ToHaveTextAsync("0");
        await Expect(bob.Page.GetByText("Buy milk")).ToHaveCountAsync(0);
        await shots.TakeAsync(bob.Page, "second-user-sees-nothing");

        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await bob.TokenAsync()}" };
        var api = bob.Page.Context.APIRequest;
        var direct = await api.GetAsync($"/api/tasks/{aliceTaskId}", new() { Headers = headers });
        Assert.Equal(404, direct.Status);
        var list = await api.GetAsync("/api/tasks", new() { Headers = headers });
        Assert.Equal(200, list.Status);
        Assert.Equal(0, (await list.JsonAsync())!.Value.GetArrayLength());
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_account_page_changes_the_password_after_a_wrong_current_one()
    {
        var shots = new Screenshots("password");
        var name = UniqueName("carol");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(name, StrongPassword);

        var account = await dashboard.OpenAccountAsync();
        await Expect(account.Title).ToBeFocusedAsync();
        await Expect(account.Profile).ToContainTextAsync(name);
        await account.ExpectEveryInputLabelledAsync();

        // Wrong current password: the server's answer is shown next to that field.
        await account.ChangePasswordAsync("Not-my-password-1", "Brand-new-pass-77");
        await Expect(account.CurrentPassword).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(account.CurrentPassword).ToBeFocusedAsync();
        await account.ExpectShownAsync();
        await shots.TakeAsync(account.Page, "wrong-current-password");

        await account.ChangePasswordAsync(StrongPassword, "Brand-new-pass-77");
        await Expect(account.StatusSaying("Your password has been changed.")).ToBeVisibleAsync();
        await Expect(account.CurrentPassword).ToHaveValueAsync("");
        await shots.TakeAsync(account.Page, "password-changed");

        var login = await account.LogOutAsync();
        await login.SubmitAsync(name, StrongPassword);
        await Expect(login.Alert).ToBeVisibleAsync();
        await login.ExpectShownAsync();
        await login.LogInAsync(name, "Brand-new-pass-77");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Deleting_the_account_signs_out_and_the_login_no_longer_works()
    {
        var shots = new Screenshots("delete-account");
        var name = UniqueName("dora");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(name, StrongPassword);
        await dashboard.CreateTaskAsync("Dora's only task", priority: "low");

        var account = await dashboard.OpenAccountAsync();
        await account.AskToDeleteAsync();
        await Expect(account.DeleteConfirmation).ToContainTextAsync(name);
        await shots.TakeAsync(account.Page, "confirmation");
        var login = await account.ConfirmDeleteAsync();
        await Expect(login.Notice("Your account and all its tasks have been deleted.")).ToBeVisibleAsync();
        Assert.Null(await login.StoredSessionAsync());
        await shots.TakeAsync(login.Page, "account-deleted");

        await login.SubmitAsync(name, StrongPassword);
        await Expect(login.Alert).ToBeVisibleAsync();
        await login.ExpectShownAsync();
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_session_the_server_no_longer_accepts_returns_to_login_with_a_message()
    {
        var shots = new Screenshots("session-revoked");
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("dave"), StrongPassword);

        // The server no longer accepts the token (expired or revoked): the next request is a 401.
        await dashboard.TamperWithSessionAsync("s.token = s.token.slice(0, -4) + 'AAAA'");
        await dashboard.Page.ReloadAsync();
        var login = new LoginPage(dashboard.Page);
        await login.ExpectNoticeAsync("Your session has expired. Please log in again.");
        Assert.Null(await login.StoredSessionAsync());
        await shots.TakeAsync(login.Page, "expired-session");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_session_past_its_lifetime_ends_without_asking_the_server()
    {
        var dashboard = await new RegisterPage(await OpenAsync()).RegisterAsync(UniqueName("erin"), StrongPassword);
        var account = new AccountPage(dashboard.Page);

        // The dashboard has made its own calls (list, summary, live stream) before the session is tampered with.
        await Expect(dashboard.LiveStatus).ToHaveTextAsync("Live");
        await dashboard.TamperWithSessionAsync("s.expiresAt = Date.now() - 1000");

        // Only the calls of the document loaded next count: a call the dashboard issued while unloading is not one.
        var apiCalls = 0;
        var loaded = false;
        dashboard.Page.FrameNavigated += (_, frame) => loaded |= frame == dashboard.Page.MainFrame;
        dashboard.Page.Request += (_, request) => apiCalls += loaded && request.Url.Contains("/api/", StringComparison.Ordinal) ? 1 : 0;
        await account.GotoAsync();
        await new LoginPage(dashboard.Page).ExpectNoticeAsync("Your session has expired. Please log in again.");
        Assert.Equal(0, apiCalls);

        // Signed out, the signed-in pages send the tab to log in; signed in, the public ones to the dashboard.
        await account.GotoAsync();
        await new LoginPage(dashboard.Page).ExpectShownAsync();
        await new RegisterPage(dashboard.Page).RegisterAsync(UniqueName("erin"), StrongPassword);
        await new LoginPage(dashboard.Page).GotoAsync();
        await dashboard.ExpectShownAsync();
        await dashboard.Page.GotoAsync("/");
        await dashboard.ExpectShownAsync();
        AssertNoBrowserErrors();
    }

    /// <summary>Two tasks through the form, the third with the keyboard alone.</summary>
    private static async Task CreateThreeTasksAsync(DashboardPage dashboard, Screenshots shots)
    {
        await dashboard.CreateTaskAsync("Buy milk", priority: "high");
        await dashboard.CreateTaskAsync("Write report", priority: "medium", description: "Quarterly numbers for the board", dueDate: "2030-01-15");

        var keyboard = dashboard.Page.Keyboard;
        await dashboard.NewTask.FocusAsync();
        await keyboard.PressAsync("Enter");
        var dialog = dashboard.NewTaskDialog;
        await Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await keyboard.TypeAsync("Call plumber");
        await keyboard.PressAsync("Tab"); // description
        await keyboard.PressAsync("Tab"); // priority
        await Expect(dialog.GetByLabel("Priority")).ToBeFocusedAsync();
        await keyboard.PressAsync("l"); // type-ahead: "Low"
        await Expect(dialog.GetByLabel("Priority")).ToHaveValueAsync("low");
        await shots.TakeAsync(dashboard.Page, "create-task-dialog-keyboard");
        await dialog.GetByLabel("Title").FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(dashboard.NewTask).ToBeFocusedAsync();
        await Expect(dashboard.Card("Call plumber")).ToBeVisibleAsync();
    }

    private Task<IPage> OpenAsync() => _devices.OpenAsync();

    private void AssertNoBrowserErrors() => _devices.AssertNoErrors();

    private static string UniqueName(string prefix) => BrowserDevices.UniqueName(prefix);
}
