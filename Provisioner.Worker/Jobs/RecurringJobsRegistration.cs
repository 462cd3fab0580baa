using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Declares the recurring jobs when a worker starts. Every worker declares the same ones (idempotent); the
/// engine's recurring scheduler then starts each once per period however many workers run.
/// </summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<LifecycleOptions> lifecycle) : IHostedService
{
    public const string SweepId = "lifecycle-sweep";
    public const string ReconcileId = "reconcile-clouds";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = lifecycle.Value;
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate(SweepId, Job.FromExpression<IMaintenanceJobs>(j => j.Sweep(CancellationToken.None), JobQueues.Maintenance),
            RecurringSchedule.ToCron(settings.SweepInterval, "Lifecycle:SweepInterval"), options);
        recurring.AddOrUpdate(ReconcileId, Job.FromExpression<IMaintenanceJobs>(j => j.Reconcile(CancellationToken.None), JobQueues.Maintenance),
            RecurringSchedule.ToCron(settings.ReconcileInterval, "Lifecycle:ReconcileInterval"), options);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
