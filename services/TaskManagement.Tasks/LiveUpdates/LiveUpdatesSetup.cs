namespace TaskManagement.Tasks.LiveUpdates;

public static class LiveUpdatesSetup
{
    /// <summary>The per-replica stream hub, its watchdog and the replay reader (the broadcast is wired with the events).</summary>
    public static WebApplicationBuilder AddLiveUpdates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveUpdatesOptions>().Bind(builder.Configuration.GetSection(LiveUpdatesOptions.Section));
        builder.Services.AddSingleton<LiveStreamHub>();
        builder.Services.AddSingleton<LiveReplay>();
        builder.Services.AddSingleton<LiveStreamWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveStreamWatchdog>());
        return builder;
    }
}
