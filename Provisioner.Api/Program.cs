using Provisioner.Api.Admin;
using Provisioner.Api.Catalog;
using Provisioner.Api.Costs;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Api.OpenApi;
using Provisioner.Api.Ops;
using Provisioner.Api.Pools;
using Provisioner.Api.Webhooks;
using Provisioner.Api.Security;
using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;
using Provisioner.Hosting.Health;
using Provisioner.Hosting.Telemetry;

StartupFailure.ExitCleanly("Provisioner.Api");

// Settings files sit beside the binaries, whatever folder the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddProvisionerApi();
builder.AddProvisionerOps();

var app = builder.Build();
if (await MigrateCommand.TryRunAsync(app, args) || await KeysCommand.TryRunAsync(app, args))
{
    return;
}

app.UseProvisionerPipeline();
app.MapProvisionerOpenApi();
app.MapProvisionerHealth();
app.MapProvisionerMetrics().RequireAuthorization(Policies.Admin);
app.MapInstancesApi();
app.MapWebhookApi();
app.MapWebhookDeliveriesApi();
app.MapBudgetApi();
app.MapCostsApi();
app.MapInstanceTypesApi();
app.MapOffersApi();
app.MapAdminKeysApi();
app.MapPoolsApi();
app.MapProvisionerOps();
await app.RunAsync();

/// <summary>The API's entry point, visible to tests that host it.</summary>
public partial class Program;
