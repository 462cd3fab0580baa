using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Schedules instance work as Quartz triggers enlisted in the caller's database transaction
/// (<c>AcceptEnlistedTransactions</c>), so a record and its job commit together or not at all.
/// </summary>
internal sealed class QuartzInstanceWorkQueue(
    ISchedulerFactory schedulerFactory,
    NpgsqlDataSource dataSource,
    IOptions<JobsOptions> jobs,
    IOptions<LifecycleOptions> lifecycle) : IInstanceWorkQueue, IAsyncDisposable
{
    private readonly SemaphoreSlim _fallbackLock = new(1, 1);
    private StandaloneSchedulerFactory? _fallback;

    public async Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken)
    {
        if (work.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var triggers = work.Select(item => InstanceJobs.TriggerFor(item, CloudRetryPolicy(lifecycle.Value))).ToList();
        try
        {
            await ScheduleAndCommitAsync(await schedulerFactory.GetScheduler(cancellationToken), transaction, triggers, cancellationToken);
        }
        catch (SchedulerException) when (transaction.Connection is not null)
        {
            // This worker is draining (SIGTERM): its scheduler takes no new work, but a job finishing now must
            // still leave its follow-up behind. A never-started scheduler on the same store can write it, as the
            // API does; any live worker picks it up.
            await ScheduleAndCommitAsync(await FallbackAsync(cancellationToken), transaction, triggers, cancellationToken);
        }
    }

    public async Task<bool> IsScheduledAsync(InstanceWorkKind kind, Guid instanceId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        return await scheduler.Exists(InstanceJobs.TriggerKeyFor(kind, instanceId), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_fallback is not null)
        {
            await _fallback.DisposeAsync();
        }

        _fallbackLock.Dispose();
    }

    internal static RetryPolicy CloudRetryPolicy(LifecycleOptions options) =>
        RetryPolicy.Exponential(
            options.CloudRetryAttempts,
            options.CloudRetryInitialDelay,
            factor: 2.0,
            maxDelay: options.CloudRetryMaxDelay,
            jitter: 0.2);

    private static async Task ScheduleAndCommitAsync(IScheduler scheduler, DbTransaction transaction, List<ITrigger> triggers, CancellationToken cancellationToken)
    {
        // The scope must be opened here, in the flow that makes the scheduler calls, and disposed after the
        // commit so the scheduler is signalled only once the triggers are visible.
        using (scheduler.EnlistTransaction(transaction))
        {
            foreach (var trigger in triggers)
            {
                // Replacing a trigger whose job is running keeps the new one: Quartz re-checks before it deletes a spent trigger.
                await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task<IScheduler> FallbackAsync(CancellationToken cancellationToken)
    {
        await _fallbackLock.WaitAsync(cancellationToken);
        try
        {
            _fallback ??= QuartzSchedulerBuilder.Create(q => QuartzStore.Configure(q, dataSource.ConnectionString, jobs.Value, provisionSchema: false)).Build();
            return await _fallback.GetScheduler(cancellationToken);
        }
        finally
        {
            _fallbackLock.Release();
        }
    }
}
