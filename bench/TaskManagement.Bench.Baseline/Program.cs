using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using TaskManagement.Bench.Baseline;

// The bare stack scripts/bench.sh compares the system with: MySqlConnector and minimal APIs only, no auth, no
// middleware, no logging. With Bench:EventProbe=true the same program is instead the event probe (a second process).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();

var probe = builder.Configuration.GetValue<bool>("Bench:EventProbe");
if (probe)
{
    builder.Services.AddSingleton<EventProbe>().AddHostedService(sp => sp.GetRequiredService<EventProbe>());
}
else
{
    builder.Services.AddSingleton(_ => new MySqlDataSource(builder.Configuration.GetConnectionString("Database")
        ?? throw new InvalidOperationException("ConnectionStrings:Database is required (the tasks database).")));
}

var app = builder.Build();
if (probe)
{
    app.MapGet("/ready", Results<Ok, StatusCodeHttpResult> (EventProbe events) => events.Listening ? TypedResults.Ok() : TypedResults.StatusCode(503));
    app.MapGet("/events", (EventProbe events, Guid user) => TypedResults.Ok(events.Stats(user)));
}
else
{
    app.MapBareEndpoints();
}

await app.RunAsync();
