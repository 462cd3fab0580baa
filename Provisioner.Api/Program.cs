using Provisioner.Api.Catalog;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Core.Hosting;

// Settings files sit beside the binaries, whatever folder the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddProvisionerApi();

var app = builder.Build();
if (await MigrateCommand.TryRunAsync(app, args))
{
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapProvisionerHealth();
app.MapInstancesApi();
app.MapInstanceTypesApi();
await app.RunAsync();

/// <summary>The API's entry point, visible to tests that host it.</summary>
public partial class Program;
