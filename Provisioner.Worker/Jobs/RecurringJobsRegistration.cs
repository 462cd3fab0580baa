using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Retention;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Declares the recurring jobs when a worker starts. Every worker declares the same ones; the engine's recurring
/// scheduler then starts each once per period however many workers run. Declaring takes a distributed lock that
/// other workers' schedulers also take, so it is done in the background and retried, and skipped when the job
/// is already declared as wanted: workers starting together must not fail their start on each other's locks.
/// </summary>
internal sealed class RecurringJobsRegistration(
    IRecurringJobManager recurring,
    JobStorage storage,
    IOptions<LifecycleOptions> lifecycle,
    IOptions<CostRollupOptions> costs,
    IOptions<CatalogCheckOptions> catalog,
    IOptions<RetentionOptions> retention,
    TimeProvider clock,
    ILogger<RecurringJobsRegistration> logger) : BackgroundService
{
    public const string SweepId = "lifecycle-sweep";
    public const string ReconcileId = "reconcile-clouds";
    public const string WatchId = "watch-machines";
    public const string RollupId = "roll-up-costs";
    public const string CatalogCheckId = "check-catalog";
    public const string RetentionId = "archive-finished-instances";
    public const string PoolsId = "refill-pools";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = lifecycle.Value;
        var wanted = new (string Id, Job Job, string Cron)[]
        {
            (SweepId, Job.FromExpression<IMaintenanceJobs>(j => j.Sweep(CancellationToken.None), JobQueues.Maintenance),
                RecurringSchedule.ToCron(settings.SweepInterval, "Lifecycle:SweepInterval")),
            (ReconcileId, Job.FromExpression<IMaintenanceJobs>(j => j.Reconcile(CancellationToken.None), JobQueues.Maintenance),
                RecurringSchedule.ToCron(settings.ReconcileInterval, "Lifecycle:ReconcileInterval")),
            (RollupId, Job.FromExpression<IMaintenanceJobs>(j => j.RollUpCosts(CancellationToken.None), JobQueues.Maintenance),
                RecurringSchedule.ToCron(costs.Value.RollupInterval, "Costs:RollupInterval")),
            (CatalogCheckId, Job.FromExpression<IMaintenanceJobs>(j => j.CheckCatalog(CancellationToken.None), JobQueues.Maintenance),
                RecurringSchedule.ToCron(catalog.Value.CheckInterval, "Catalog:CheckInterval")),
            // Declared even when retention is off (the run then does nothing), so turning it on needs no other change.
            (RetentionId, Job.FromExpression<IMaintenanceJobs>(j => j.ApplyRetention(CancellationToken.None), JobQueues.Maintenance),
                RecurringSchedule.ToCron(retention.Value.Interval, "Retention:Interval")),
        };

        // The watch and the pool refill run as FrequentPasses now; a declaration left by an earlier version would run
        // them a second time as jobs, costing the idle stack what moving them saved.
        foreach (var id in new[] { WatchId, PoolsId })
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    recurring.RemoveIfExists(id);
                    break;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.RecurringJobNotDeclared(error, id, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), clock, stoppingToken);
                }
            }
        }

        foreach (var (id, job, cron) in wanted)
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    Declare(id, job, cron);
                    break;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.RecurringJobNotDeclared(error, id, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), clock, stoppingToken);
                }
            }
        }
    }

    private void Declare(string id, Job job, string cron)
    {
        using (var connection = storage.GetConnection())
        {
            if (connection.GetRecurringJobs([id]).SingleOrDefault() is { } existing
                && existing.Cron == cron && existing.Queue == job.Queue && existing.Job?.Method == job.Method && existing.TimeZoneId == TimeZoneInfo.Utc.Id)
            {
                return;
            }
        }

        recurring.AddOrUpdate(id, job, cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        logger.RecurringJobDeclared(id, cron);
    }
}
