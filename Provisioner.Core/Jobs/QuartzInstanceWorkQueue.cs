using System.Data.Common;
using Microsoft.Extensions.Options;
using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Schedules instance work as Quartz triggers enlisted in the caller's database transaction
/// (<c>AcceptEnlistedTransactions</c>), so a record and its job commit together or not at all.
/// </summary>
internal sealed class QuartzInstanceWorkQueue(ISchedulerFactory schedulerFactory, IOptions<LifecycleOptions> lifecycle)
    : IInstanceWorkQueue
{
    public async Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken)
    {
        if (work.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var retry = CloudRetryPolicy(lifecycle.Value);

        // The scope must be opened here, in the flow that makes the scheduler calls, and disposed after the
        // commit so the scheduler is signalled only once the triggers are visible.
        using (scheduler.EnlistTransaction(transaction))
        {
            foreach (var item in work)
            {
                var trigger = InstanceJobs.TriggerFor(item, retry);
                // Replacing a trigger whose job is running keeps the new one: Quartz re-checks before it deletes a spent trigger.
                await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<bool> IsScheduledAsync(InstanceWorkKind kind, Guid instanceId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        return await scheduler.Exists(InstanceJobs.TriggerKeyFor(kind, instanceId), cancellationToken);
    }

    internal static RetryPolicy CloudRetryPolicy(LifecycleOptions options) =>
        RetryPolicy.Exponential(
            options.CloudRetryAttempts,
            options.CloudRetryInitialDelay,
            factor: 2.0,
            maxDelay: options.CloudRetryMaxDelay,
            jitter: 0.2);
}
