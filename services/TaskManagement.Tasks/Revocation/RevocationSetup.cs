using TaskManagement.ServiceDefaults;
using TaskManagement.ServiceDefaults.Security;

namespace TaskManagement.Tasks.Revocation;

public static class RevocationSetup
{
    /// <summary>The revocation snapshot every bearer token is checked against, and its refresher.</summary>
    public static WebApplicationBuilder AddTokenRevocation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RevocationOptions>().Bind(builder.Configuration.GetSection(RevocationOptions.Section));
        builder.Services.AddSingleton<RevocationSnapshot>();
        builder.Services.AddSingleton<ITokenRevocation>(sp => sp.GetRequiredService<RevocationSnapshot>());
        builder.Services.AddHostedService<RevocationRefresher>();
        builder.Services.AddHealthChecks().AddCheck<RevocationHealthCheck>("revocation", tags: [Health.Ready]);
        return builder;
    }
}
