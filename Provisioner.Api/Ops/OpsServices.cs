using Provisioner.Api.Ops.Components;

namespace Provisioner.Api.Ops;

/// <summary>The operator console under <c>/ops</c>: its sign-in, its pages (server-rendered Razor components, no interactivity) and the jobs dashboard.</summary>
internal static class OpsServices
{
    public static WebApplicationBuilder AddProvisionerOps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpsAuthentication();
        builder.Services.AddJobsStorage(builder.Configuration);
        builder.Services.AddRazorComponents();
        return builder;
    }

    public static WebApplication MapProvisionerOps(this WebApplication app)
    {
        app.MapRazorComponents<App>();
        app.MapOpsSessionApi();
        app.MapJobsDashboard();
        return app;
    }
}
