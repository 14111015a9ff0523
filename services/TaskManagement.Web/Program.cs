using TaskManagement.ServiceDefaults;
using TaskManagement.Web.Gateway;
using TaskManagement.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseServiceDefaults();
app.UseSpaFiles();
app.MapDefaultEndpoints();
app.MapGateway();
app.MapSpa();
await app.RunAsync();

