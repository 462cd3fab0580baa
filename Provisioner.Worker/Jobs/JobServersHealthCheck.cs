using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Provisioner.Worker.Jobs;

/// <summary>Ready when the job store answers and lists this worker's job servers as alive.</summary>
internal sealed class JobServersHealthCheck(JobStorage storage, IOptions<JobsOptions> options) : IHealthCheck
{
    /// <summary>One server per queue: lifecycle, maintenance, webhooks.</summary>
    public const int ServersPerWorker = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var node = JobEngineServices.NodeName(options.Value);
        var ours = storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith(node + ":", StringComparison.Ordinal)).ToList();
        return Task.FromResult(ours.Count >= ServersPerWorker
            ? HealthCheckResult.Healthy($"{ours.Count} job servers of {node} alive")
            : HealthCheckResult.Unhealthy($"{ours.Count} of {ServersPerWorker} job servers of {node} registered"));
    }
}
