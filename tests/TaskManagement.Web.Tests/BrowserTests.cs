using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests;

/// <summary>
/// The product as a user meets it: headless Chromium against the real Auth and Tasks behind the
/// Web gateway. Every step leaves a screenshot in .artifacts/screenshots/ for whoever reads a failure.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class BrowserTests(StackFixture stack) : IAsyncLifetime
{
    private const string StrongPassword = "Correct-Horse-42";
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _browserErrors = [];

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(10_000);
        (_context, _page) = await OpenAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_user_registers_logs_in_and_manages_tasks_and_a_second_user_sees_none_of_them()
    {
        var shots = new Screenshots("e2e");
        var alice = UniqueName("alice");
        var page = _page;

        // Register: a weak password is refused and the checklist shows what is missing.
        await page.GotoAsync("/register");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create an account" })).ToBeFocusedAsync();
        await AssertEveryInputLabelledAsync(page);
        await page.GetByLabel("Username").FillAsync(alice);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("weakpass1");
        await Expect(Rule(page, "lower")).ToHaveAttributeAsync("data-met", "true");
        await Expect(Rule(page, "digit")).ToHaveAttributeAsync("data-met", "true");
        await Expect(Rule(page, "length")).ToHaveAttributeAsync("data-met", "false");
        await Expect(Rule(page, "upper")).ToHaveAttributeAsync("data-met", "false");
        await Expect(Rule(page, "symbol")).ToHaveAttributeAsync("data-met", "false");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("fix the highlighted fields");
        await Expect(page.GetByText("This password does not meet every requirement below.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page).ToHaveURLAsync(Path("/register"));
        await shots.TakeAsync(page, "register-weak-password-rejected");

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(StrongPassword);
        foreach (var rule in new[] { "length", "upper", "lower", "digit", "symbol" })
        {
            await Expect(Rule(page, rule)).ToHaveAttributeAsync("data-met", "true");
        }

        await shots.TakeAsync(page, "register-strong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/dashboard"));
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Welcome, {alice}!" })).ToBeVisibleAsync();
        await Expect(page.GetByText("You have no tasks yet.")).ToBeVisibleAsync();
        await Expect(Summary(page, "total")).ToHaveTextAsync("0");
        await shots.TakeAsync(page, "dashboard-empty");

        // Log out, then log in with the keyboard alone.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        await Expect(page.GetByText("You have been logged out.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(alice);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(StrongPassword);
        await shots.TakeAsync(page, "login");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(Path("/dashboard"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your tasks" })).ToBeFocusedAsync();

        // Create three tasks (the third with the keyboard alone).
        await CreateTaskAsync(page, "Buy milk", priority: "high");
        await CreateTaskAsync(page, "Write report", priority: "medium", description: "Quarterly numbers for the board", dueDate: "2030-01-15");
        var newTask = page.GetByRole(AriaRole.Button, new() { Name = "New task" });
        await newTask.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New task" });
        await Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Call plumber");
        await page.Keyboard.PressAsync("Tab"); // description
        await page.Keyboard.PressAsync("Tab"); // priority
        await Expect(dialog.GetByLabel("Priority")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("l"); // type-ahead: "Low"
        await Expect(dialog.GetByLabel("Priority")).ToHaveValueAsync("low");
        await shots.TakeAsync(page, "create-task-dialog-keyboard");
        await dialog.GetByLabel("Title").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(newTask).ToBeFocusedAsync();
        await Expect(Card(page, "Call plumber")).ToBeVisibleAsync();

        await Expect(page.Locator("li.task")).ToHaveCountAsync(3);
        await Expect(Summary(page, "total")).ToHaveTextAsync("3");
        await Expect(Summary(page, "pending")).ToHaveTextAsync("3");
        await Expect(Summary(page, "high")).ToHaveTextAsync("1");
        await Expect(Summary(page, "rate")).ToHaveTextAsync("0%");
        await Expect(Card(page, "Buy milk")).ToContainTextAsync("High");
        await Expect(Card(page, "Call plumber")).ToContainTextAsync("Low");
        await Expect(Card(page, "Write report")).ToContainTextAsync("Quarterly numbers for the board");
        await shots.TakeAsync(page, "three-tasks");

        // Filter by priority, then by status and search; the address bar keeps the filters.
        var filters = page.GetByRole(AriaRole.Search);
        await filters.GetByLabel("Priority").SelectOptionAsync("high");
        await Expect(page).ToHaveURLAsync(new Regex("priority=high"));
        await Expect(page.Locator("li.task")).ToHaveCountAsync(1);
        await Expect(Card(page, "Buy milk")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "filtered-high-priority");
        await filters.GetByLabel("Priority").SelectOptionAsync("");
        await filters.GetByLabel("Status").SelectOptionAsync("pending");
        await filters.GetByLabel("Search").FillAsync("report");
        await Expect(page.Locator("li.task")).ToHaveCountAsync(1);
        await Expect(Card(page, "Write report")).ToBeVisibleAsync();
        await filters.GetByLabel("Search").FillAsync("no such task");
        await Expect(page.GetByText("No tasks match these filters.")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "filtered-no-match");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(page.Locator("li.task")).ToHaveCountAsync(3);
        await filters.GetByLabel("Sort by").SelectOptionAsync("title");
        await Expect(page.Locator("li.task h3")).ToHaveTextAsync(["Buy milk", "Call plumber", "Write report"]);

        // Edit one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit “Write report”" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit task" });
        await Expect(dialog.GetByLabel("Title")).ToHaveValueAsync("Write report");
        await dialog.GetByLabel("Title").FillAsync("Write quarterly report");
        await dialog.GetByLabel("Priority").SelectOptionAsync("high");
        await shots.TakeAsync(page, "edit-task-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Card(page, "Write quarterly report")).ToContainTextAsync("High");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Task “Write quarterly report” saved." })).ToBeVisibleAsync();
        await Expect(Summary(page, "high")).ToHaveTextAsync("2");

        // Complete one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete “Buy milk”" }).ClickAsync();
        await Expect(Card(page, "Buy milk").Locator(".badge-status-completed")).ToHaveTextAsync("Status: Completed");
        await Expect(Summary(page, "completed")).ToHaveTextAsync("1");
        await Expect(Summary(page, "rate")).ToHaveTextAsync("33%");
        await shots.TakeAsync(page, "completed-one");

        // Delete one, after confirming.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete “Call plumber”" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete this task?" });
        await Expect(confirm).ToContainTextAsync("“Call plumber” will be deleted permanently.");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await shots.TakeAsync(page, "delete-confirmation");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete task" }).ClickAsync();
        await Expect(Card(page, "Call plumber")).ToHaveCountAsync(0);
        await Expect(Summary(page, "total")).ToHaveTextAsync("2");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Task list" })).ToBeFocusedAsync();

        // Reload: the same state comes back from the server, and the session survives in this tab.
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard\\?sort=title$"));
        await Expect(page.Locator("li.task h3")).ToHaveTextAsync(["Buy milk", "Write quarterly report"]);
        await Expect(Card(page, "Buy milk").Locator(".badge-status-completed")).ToBeVisibleAsync();
        await Expect(Card(page, "Write quarterly report").Locator(".badge-status-pending")).ToBeVisibleAsync();
        await Expect(Card(page, "Write quarterly report")).ToContainTextAsync("High");
        await Expect(Summary(page, "total")).ToHaveTextAsync("2");
        await Expect(Summary(page, "completed")).ToHaveTextAsync("1");
        await Expect(Summary(page, "rate")).ToHaveTextAsync("50%");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        await shots.TakeAsync(page, "after-reload");

        // A failed change is rolled back, with a visible message.
        await page.RouteAsync("**/api/tasks/*", async route =>
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
        await page.GetByRole(AriaRole.Button, new() { Name = "Start “Write quarterly report”" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Could not update “Write quarterly report”.");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your change was undone.");
        await Expect(Card(page, "Write quarterly report").Locator(".badge-status-pending")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "rolled-back-after-error");
        await page.UnrouteAllAsync();

        // Phone width: nothing overflows sideways.
        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator("li.task")).ToHaveCountAsync(2);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The dashboard scrolls sideways at phone width.");
        await shots.TakeAsync(page, "dashboard-phone-width");
        await page.SetViewportSizeAsync(1280, 900);

        var aliceTaskId = await Card(page, "Buy milk").GetAttributeAsync("data-task-id");
        Assert.False(string.IsNullOrEmpty(aliceTaskId));

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('taskmgmt.session')"));
        await page.GotoAsync("/dashboard");
        await Expect(page).ToHaveURLAsync(Path("/login"));

        // A second user in another browser: the name is taken, and Alice's tasks are invisible.
        var (bobContext, bob) = await OpenAsync();
        await using var _ = bobContext;
        await bob.GotoAsync("/register");
        await bob.GetByLabel("Username").FillAsync(alice);
        await bob.GetByLabel("Password", new() { Exact = true }).FillAsync(StrongPassword);
        await bob.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        var usernameError = bob.Locator(".field-invalid").Filter(new() { Has = bob.GetByLabel("Username") }).Locator(".field-error");
        await Expect(usernameError).ToBeVisibleAsync();
        await Expect(bob.GetByLabel("Username")).ToBeFocusedAsync();
        await shots.TakeAsync(bob, "register-username-taken");

        var bobName = UniqueName("bob");
        await bob.GetByLabel("Username").FillAsync(bobName);
        await bob.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(bob).ToHaveURLAsync(Path("/dashboard"));
        await Expect(bob.GetByText("You have no tasks yet.")).ToBeVisibleAsync();
        await Expect(Summary(bob, "total")).ToHaveTextAsync("0");
        await Expect(bob.GetByText("Buy milk")).ToHaveCountAsync(0);
        await shots.TakeAsync(bob, "second-user-sees-nothing");

        var bobToken = await TokenAsync(bob);
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bobToken}" };
        var direct = await bobContext.APIRequest.GetAsync($"/api/tasks/{aliceTaskId}", new() { Headers = headers });
        Assert.Equal(404, direct.Status);
        var list = await bobContext.APIRequest.GetAsync("/api/tasks", new() { Headers = headers });
        Assert.Equal(200, list.Status);
        Assert.Equal(0, (await list.JsonAsync())!.Value.GetArrayLength());

        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Account_page_changes_the_password_and_deletes_the_account()
    {
        var shots = new Screenshots("account");
        var page = _page;
        var name = UniqueName("carol");
        await RegisterAsync(page, name, StrongPassword);
        await CreateTaskAsync(page, "Carol's only task", priority: "low");

        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/account"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeFocusedAsync();
        await Expect(page.Locator(".profile")).ToContainTextAsync(name);
        await AssertEveryInputLabelledAsync(page);

        // Wrong current password: the server's answer is shown next to that field.
        await page.GetByLabel("Current password").FillAsync("Not-my-password-1");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Brand-new-pass-77");
        await page.GetByLabel("Repeat new password").FillAsync("Brand-new-pass-77");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByLabel("Current password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Current password")).ToBeFocusedAsync();
        await Expect(page).ToHaveURLAsync(Path("/account"));
        await shots.TakeAsync(page, "wrong-current-password");

        await page.GetByLabel("Current password").FillAsync(StrongPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Your password has been changed." })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "password-changed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await LoginAsync(page, name, "Brand-new-pass-77");
        await Expect(page).ToHaveURLAsync(Path("/dashboard"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete your account?" });
        await shots.TakeAsync(page, "delete-account-confirmation");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        await Expect(page.GetByText("Your account and all its tasks have been deleted.")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "account-deleted");

        await page.GetByLabel("Username").FillAsync(name);
        await page.GetByLabel("Password").FillAsync("Brand-new-pass-77");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task An_expired_session_returns_to_login_with_a_message()
    {
        var shots = new Screenshots("session");
        var page = _page;
        await RegisterAsync(page, UniqueName("dave"), StrongPassword);

        // The server no longer accepts the token (expired or revoked): the next request is a 401.
        await page.EvaluateAsync(
            "() => { const s = JSON.parse(sessionStorage.getItem('taskmgmt.session')); s.token = s.token.slice(0, -4) + 'AAAA'; sessionStorage.setItem('taskmgmt.session', JSON.stringify(s)); }");
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        await Expect(page.GetByText("Your session has expired. Please log in again.")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('taskmgmt.session')"));
        await shots.TakeAsync(page, "expired-session");

        // A session whose lifetime has run out ends without asking the server.
        await RegisterAsync(page, UniqueName("erin"), StrongPassword);
        await page.EvaluateAsync(
            "() => { const s = JSON.parse(sessionStorage.getItem('taskmgmt.session')); s.expiresAt = Date.now() - 1000; sessionStorage.setItem('taskmgmt.session', JSON.stringify(s)); }");
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(Path("/login"));
        await Expect(page.GetByText("Your session has expired. Please log in again.")).ToBeVisibleAsync();
        AssertNoBrowserErrors();
    }

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync()
    {
        var context = await stack.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Expected 4xx/5xx answers are logged by Chromium as "Failed to load resource"; CSP breaches are not expected.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _browserErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _browserErrors.Add(error);
        return (context, page);
    }

    private void AssertNoBrowserErrors() =>
        Assert.True(_browserErrors.Count == 0, "Browser console errors (CSP violations, exceptions):\n" + string.Join("\n", _browserErrors));

    private static async Task RegisterAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/register");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Path("/dashboard"));
    }

    private static async Task LoginAsync(IPage page, string username, string password)
    {
        await Expect(page).ToHaveURLAsync(Path("/login"));
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    private static async Task CreateTaskAsync(IPage page, string title, string priority, string? description = null, string? dueDate = null)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "New task" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New task" });
        await Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await AssertEveryInputLabelledAsync(page);
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
        await Expect(Card(page, title)).ToBeVisibleAsync();
    }

    /// <summary>Every visible input, select and textarea has a label (or an accessible name).</summary>
    private static async Task AssertEveryInputLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('input, select, textarea')]
              .filter(el => !el.hidden && el.type !== 'hidden' && el.offsetParent !== null)
              .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
              .map(el => el.outerHTML)
            """);
        Assert.True(unlabelled.Length == 0, "Inputs without a label: " + string.Join(", ", unlabelled));
    }

    private static async Task<string> TokenAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("() => sessionStorage.getItem('taskmgmt.session')");
        return JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;
    }

    private static ILocator Card(IPage page, string title) =>
        page.Locator("li.task").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }) });

    private static ILocator Summary(IPage page, string key) => page.Locator($"[data-summary='{key}'] dd");

    private static ILocator Rule(IPage page, string rule) => page.Locator($".checklist [data-rule='{rule}']");

    private static Regex Path(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");

    private static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 50)];

    /// <summary>Numbered full-page screenshots under .artifacts/screenshots/.</summary>
    private sealed class Screenshots(string prefix)
    {
        private int _step;

        public async Task TakeAsync(IPage page, string name)
        {
            var file = System.IO.Path.Combine(BrowserSession.ScreenshotDirectory, $"{prefix}-{++_step:00}-{name}.png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        }
    }
}
