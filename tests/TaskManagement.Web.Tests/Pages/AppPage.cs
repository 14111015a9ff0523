using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests.Pages;

/// <summary>What every page of the app has: the header, the live regions and the address.</summary>
public abstract class AppPage(IPage page, string path)
{
    public IPage Page { get; } = page;

    public string Path { get; } = path;

    /// <summary>The address this page lives at (any query string allowed).</summary>
    public Regex Url { get; } = UrlOf(path);

    /// <summary>Polite announcements (role="status").</summary>
    public ILocator Status => Page.GetByRole(AriaRole.Status);

    /// <summary>Errors announced at once (role="alert").</summary>
    public ILocator Alert => Page.GetByRole(AriaRole.Alert);

    public ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name });

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name });

    public ILocator StatusSaying(string text) => Status.Filter(new() { HasText = text });

    public async Task GotoAsync() => await Page.GotoAsync(Path);

    public async Task ExpectShownAsync() => await Expect(Page).ToHaveURLAsync(Url);

    public async Task<LoginPage> LogOutAsync()
    {
        await Button("Log out").ClickAsync();
        var login = new LoginPage(Page);
        await login.ExpectShownAsync();
        return login;
    }

    public async Task<AccountPage> OpenAccountAsync()
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        var account = new AccountPage(Page);
        await account.ExpectShownAsync();
        return account;
    }

    /// <summary>The signed-in session this tab keeps in sessionStorage (null when signed out).</summary>
    public Task<string?> StoredSessionAsync() => Page.EvaluateAsync<string?>("() => sessionStorage.getItem('taskmgmt.session')");

    /// <summary>Changes the stored session (a JS statement on <c>s</c>), as if time or the server had moved on.</summary>
    public Task TamperWithSessionAsync(string change) => Page.EvaluateAsync(
        $"() => {{ const s = JSON.parse(sessionStorage.getItem('taskmgmt.session')); {change}; sessionStorage.setItem('taskmgmt.session', JSON.stringify(s)); }}");

    /// <summary>Every visible input, select and textarea has a label (or an accessible name).</summary>
    public async Task ExpectEveryInputLabelledAsync()
    {
        var unlabelled = await Page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('input, select, textarea')]
              .filter(el => !el.hidden && el.type !== 'hidden' && el.offsetParent !== null)
              .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
              .map(el => el.outerHTML)
            """);
        Assert.True(unlabelled.Length == 0, "Inputs without a label: " + string.Join(", ", unlabelled));
    }

    public static Regex UrlOf(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");
}
