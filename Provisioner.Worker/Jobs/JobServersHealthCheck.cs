using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Provisioner.Worker.Jobs;

/// <summary>Ready when the job store answers and lists this worker's job servers as alive.</summary>
internal sealed class JobServersHealthCheck(JobStorage storage, IOptions<JobsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var node = JobEngineServices.NodeName(options.Value);
        var ours = storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith(node + ":", StringComparison.Ordinal)).ToList();
        return Task.FromResult(ours.Count >= 2
            ? HealthCheckResult.Healthy($"{ours.Count} job servers of {node} alive")
            : HealthCheckResult.Unhealthy($"{ours.Count} of 2 job servers of {node} registered"));
    }
}
