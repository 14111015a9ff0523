using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests.Pages;

/// <summary>/login.</summary>
public sealed class LoginPage(IPage page) : AppPage(page, "/login")
{
    public ILocator Username => Page.GetByLabel("Username");

    public ILocator Password => Page.GetByLabel("Password");

    public ILocator Title => Heading("Log in");

    public ILocator Submit => Button("Log in");

    /// <summary>The one-time notice (logged out, session expired, account deleted).</summary>
    public ILocator Notice(string text) => Page.GetByText(text);

    public async Task SubmitAsync(string username, string password)
    {
        await ExpectShownAsync();
        await Username.FillAsync(username);
        await Password.FillAsync(password);
        await Submit.ClickAsync();
    }

    public async Task<DashboardPage> LogInAsync(string username, string password)
    {
        await SubmitAsync(username, password);
        var dashboard = new DashboardPage(Page);
        await dashboard.ExpectShownAsync();
        return dashboard;
    }

    public async Task ExpectNoticeAsync(string text)
    {
        await ExpectShownAsync();
        await Expect(Notice(text)).ToBeVisibleAsync();
    }
}
