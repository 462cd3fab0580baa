using Provisioner.Core.Hosting;
using Provisioner.Worker.Resilience;
using Quartz;

namespace Provisioner.Worker.Hosting;

/// <summary>A worker: runs the clustered job scheduler, and serves its own health endpoints.</summary>
internal static class WorkerServices
{
    public static WebApplicationBuilder AddProvisionerWorker(this WebApplicationBuilder builder)
    {
        builder.Services.AddProvisionerCore(builder.Configuration, runsJobs: true);
        builder.Services.AddCloudResilience(builder.Configuration);
        builder.Services.AddProvisionerHealthChecks().AddQuartz(o =>
        {
            o.Name = "jobs";
            o.Tags.Add(HealthEndpoints.ReadyTag);
        });

        // SIGTERM drains: the scheduler stops taking work and waits for running jobs, within this limit.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Worker:ShutdownTimeout", TimeSpan.FromSeconds(30)));
        return builder;
    }
}
