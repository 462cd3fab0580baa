using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;
using Provisioner.Hosting.Health;
using Provisioner.Hosting.Telemetry;
using Provisioner.Worker.Jobs;
using Provisioner.Worker.Resilience;

namespace Provisioner.Worker.Hosting;

/// <summary>A worker: runs the job engine's servers and the outbox relay, and serves its own health endpoints.</summary>
internal static class WorkerServices
{
    public static WebApplicationBuilder AddProvisionerWorker(this WebApplicationBuilder builder)
    {
        builder.Services.AddProvisionerCore(builder.Configuration);
        // Before the job servers, so it stops after them (see AddProviderCallStats).
        builder.Services.AddProviderCallStats(builder.Configuration);
        builder.Services.AddProvisionerJobs(builder.Configuration);
        builder.Services.AddCloudResilience(builder.Configuration);
        builder.Services.AddProvisionerTelemetry(builder.Configuration, "provisioner-worker",
            JobEngineServices.NodeName(builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions()));
        builder.Services.AddProvisionerHealthChecks().AddCheck<JobServersHealthCheck>("jobs", tags: [HealthEndpoints.ReadyTag]);

        builder.Services.AddValidatedSettings<WorkerOptions>(builder.Configuration, WorkerOptions.Section);
        // SIGTERM drains: the servers stop taking work and wait for running jobs, within this limit.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Worker:ShutdownTimeout", TimeSpan.FromSeconds(30)));
        return builder;
    }
}
