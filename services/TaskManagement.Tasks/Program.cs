using TaskManagement.Contracts;
using TaskManagement.Data.MySql;
using TaskManagement.Eventing;
using TaskManagement.ServiceDefaults;
using TaskManagement.ServiceDefaults.Security;
using TaskManagement.Tasks;
using TaskManagement.Tasks.Data;
using TaskManagement.Tasks.Features;
using TaskManagement.Tasks.LiveUpdates;
using TaskManagement.Tasks.Revocation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMySqlDbContext<TasksDbContext>();
builder.AddJwtBearerFromDiscovery();
builder.AddTokenRevocation();
builder.AddEventing()
    .AddRabbitMqTransport()
    .AddDaprTransport()
    .AddEventPublishing<TasksDbContext>(EventSources.Tasks)
    .AddEventConsumer<TasksDbContext, UserEventsHandler>(Topics.Users)
    .AddEventBroadcast<TaskEventsForwarder>(Topics.Tasks);
builder.AddLiveUpdates();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TasksMetrics>();
builder.Services.AddValidation();
builder.DocumentTaskSortKeys();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapEventSubscriptions();
app.MapTaskEndpoints();

await app.MigrateDatabaseAsync<TasksDbContext>();
await app.RunAsync();
