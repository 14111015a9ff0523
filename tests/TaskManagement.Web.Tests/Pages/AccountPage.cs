using Microsoft.Playwright;

namespace TaskManagement.Web.Tests.Pages;

/// <summary>/account: profile, password change and account deletion.</summary>
public sealed class AccountPage(IPage page) : AppPage(page, "/account")
{
    public ILocator Title => Heading("Your account");

    public ILocator Profile => Page.Locator(".profile");

    public ILocator CurrentPassword => Page.GetByLabel("Current password");

    public ILocator NewPassword => Page.GetByLabel("New password", new() { Exact = true });

    public ILocator RepeatPassword => Page.GetByLabel("Repeat new password");

    public ILocator ChangePassword => Button("Change password");

    public ILocator DeleteConfirmation => Page.GetByRole(AriaRole.Alertdialog, new() { Name = "Delete your account?" });

    public async Task ChangePasswordAsync(string current, string next)
    {
        await CurrentPassword.FillAsync(current);
        await NewPassword.FillAsync(next);
        await RepeatPassword.FillAsync(next);
        await ChangePassword.ClickAsync();
    }

    public async Task AskToDeleteAsync() => await Button("Delete my account").ClickAsync();

    public async Task<LoginPage> ConfirmDeleteAsync()
    {
        await DeleteConfirmation.GetByRole(AriaRole.Button, new() { Name = "Delete account" }).ClickAsync();
        var login = new LoginPage(Page);
        await login.ExpectShownAsync();
        return login;
    }
}
