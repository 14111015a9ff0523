using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskManagement.Web.Tests.Pages;

/// <summary>/register, with the live password checklist.</summary>
public sealed class RegisterPage(IPage page) : AppPage(page, "/register")
{
    public static readonly string[] Rules = ["length", "upper", "lower", "digit", "symbol"];

    public ILocator Username => Page.GetByLabel("Username");

    public ILocator Password => Page.GetByLabel("Password", new() { Exact = true });

    public ILocator Title => Heading("Create an account");

    public ILocator Submit => Button("Create account");

    /// <summary>The error shown under the username field.</summary>
    public ILocator UsernameError => Page.Locator(".field-invalid").Filter(new() { Has = Username }).Locator(".field-error");

    /// <summary>One line of the checklist; <c>data-met</c> says whether the password meets it.</summary>
    public ILocator Rule(string rule) => Page.Locator($".checklist [data-rule='{rule}']");

    public async Task ExpectRuleAsync(string rule, bool met) => await Expect(Rule(rule)).ToHaveAttributeAsync("data-met", met ? "true" : "false");

    public async Task FillAsync(string username, string password)
    {
        await Username.FillAsync(username);
        await Password.FillAsync(password);
    }

    /// <summary>Registers from a fresh /register page and lands on the dashboard, signed in.</summary>
    public async Task<DashboardPage> RegisterAsync(string username, string password)
    {
        await GotoAsync();
        await FillAsync(username, password);
        await Submit.ClickAsync();
        var dashboard = new DashboardPage(Page);
        await dashboard.ExpectShownAsync();
        return dashboard;
    }
}
