using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;
using Provisioner.Hosting.Health;
using Provisioner.Hosting.Telemetry;
using Provisioner.Worker.Hosting;

StartupFailure.ExitCleanly("Provisioner.Worker");

// Settings files sit beside the binaries, whatever folder the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddProvisionerWorker();

var app = builder.Build();
if (await MigrateCommand.TryRunAsync(app, args))
{
    return;
}

app.MapProvisionerHealth();
app.MapProvisionerMetrics();
await app.RunAsync();
