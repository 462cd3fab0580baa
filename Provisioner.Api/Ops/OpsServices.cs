using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Ops.Components;
using Provisioner.Api.Ops.Queries;

namespace Provisioner.Api.Ops;

/// <summary>The operator console under <c>/ops</c>: its sign-in, its pages (server-rendered Razor components, no interactivity) and the jobs dashboard.</summary>
internal static class OpsServices
{
    public static WebApplicationBuilder AddProvisionerOps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpsAuthentication();
        builder.Services.AddJobsStorage(builder.Configuration);
        builder.Services.AddRazorComponents();
        builder.Services.AddTransient<OpsActionService>();
        builder.Services.AddTransient<AuditTrail>();
        builder.Services.AddTransient<OpsInstanceQueries>();
        builder.Services.AddTransient<OpsWebhookQueries>();
        builder.Services.AddTransient<OpsProviderQueries>();
        builder.Services.AddTransient<OpsCostQueries>();
        builder.Services.AddTransient<OpsOverviewQueries>();
        return builder;
    }

    public static WebApplication MapProvisionerOps(this WebApplication app)
    {
        app.MapRazorComponents<App>();
        app.MapOpsSessionApi();
        app.MapOpsActionsApi();
        app.MapOpsPoolActionsApi();
        app.MapJobsDashboard();
        return app;
    }
}
