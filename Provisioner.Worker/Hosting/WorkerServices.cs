using System.Globalization;
using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;
using Provisioner.Hosting.Connections;
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
        // First, while the process has few threads: the ones started later inherit the value. An out-of-range value
        // or a value that is not a number is left for the settings check below to refuse with its name.
        var nice = int.TryParse(builder.Configuration[$"{WorkerOptions.Section}:{nameof(WorkerOptions.Nice)}"], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value <= 19 ? value : 0;
        builder.Services.AddSingleton(CpuPriority.Lower(nice));
        builder.Services.AddHostedService<CpuPriorityReport>();

        // The steps send the same statements lifecycle after lifecycle: prepared, PostgreSQL plans each once per
        // connection (bench/jobs/cost.sh: PostgreSQL's CPU per lifecycle 23-30 -> 17-19 ms, with the job store prepared
        // too). And their connections are not reset on return: the reset was 117 of a lifecycle's 268 statements. What
        // keeps session state (the LISTENs, the passes' session locks) has a pool of its own that resets,
        // SessionConnections (docs/benchmarks.md).
        builder.Services.AddProvisionerCore(builder.Configuration, StatelessConnections.Tune);
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
