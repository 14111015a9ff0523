using TaskManagement.Auth;
using TaskManagement.Auth.Data;
using TaskManagement.Auth.Features;
using TaskManagement.Auth.Identity;
using TaskManagement.Contracts;
using TaskManagement.Data.MySql;
using TaskManagement.Eventing;
using TaskManagement.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMySqlDbContext<AuthDbContext>();
builder.AddEventing()
    .AddRabbitMqTransport()
    .AddDaprTransport()
    .AddEventPublishing<AuthDbContext>(EventSources.Auth);
builder.AddSigningKeysAndJwtBearer();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<AuthMetrics>();
builder.Services.AddSingleton<PasswordHasher>();
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<LoginThrottle>();
builder.Services.AddValidation();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAccountEndpoints();
app.MapLoginEndpoints();
app.MapDiscoveryEndpoints();

await app.MigrateDatabaseAsync<AuthDbContext>();
await app.RunAsync();
