using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Pools;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Retention;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The recurring jobs. The engine starts each once per period across all workers; a run still going when the
/// next period starts makes the next one skip (a PostgreSQL advisory lock), so runs never pile up.
/// </summary>
internal sealed class MaintenanceJobs(
    SessionConnections sessions,
    LifecycleSweeper sweeper,
    CloudReconciler reconciler,
    MachineWatch watch,
    CostRollup costs,
    BudgetWatch budgets,
    CatalogCheck catalogCheck,
    InstanceRetention retention,
    PoolRefill pools,
    ILogger<MaintenanceJobs> logger) : IMaintenanceJobs
{
    // Arbitrary constants that no other application on the database uses for advisory locks.
    private const long SweepLock = 0x50_52_4F_56_53_57_45;
    private const long ReconcileLock = 0x50_52_4F_56_52_45_43;
    private const long WatchLock = 0x50_52_4F_56_57_41_54;
    private const long RollupLock = 0x50_52_4F_56_43_4F_53;
    private const long CatalogLock = 0x50_52_4F_56_43_41_54;
    private const long RetentionLock = 0x50_52_4F_56_52_45_54;
    private const long PoolsLock = 0x50_52_4F_56_50_4F_4F;

    public Task Sweep(CancellationToken cancellationToken) =>
        AloneAsync(SweepLock, "lifecycle sweep", () => sweeper.SweepAsync(cancellationToken), cancellationToken);

    public Task Reconcile(CancellationToken cancellationToken) =>
        AloneAsync(ReconcileLock, "reconciliation", () => reconciler.ReconcileAllAsync(cancellationToken), cancellationToken);

    /// <remarks>
    /// Run by <see cref="FrequentPasses"/> in every worker at the same instants, not as a recurring job: as one it cost the
    /// idle stack a Hangfire job (about 25 statements and 3 store locks) every 10 s. The advisory lock lets one worker
    /// run each pass; the others' skip is the normal case, so it is logged at Debug only.
    /// </remarks>
    public Task WatchMachines(CancellationToken cancellationToken) =>
        AloneAsync(WatchLock, "machine watch", () => watch.WatchAllAsync(cancellationToken), cancellationToken, quietSkip: true);

    public Task RollUpCosts(CancellationToken cancellationToken) =>
        AloneAsync(RollupLock, "cost rollup", async () =>
        {
            await costs.RunAsync(cancellationToken);
            await budgets.CheckAsync(cancellationToken);
        }, cancellationToken);

    public Task CheckCatalog(CancellationToken cancellationToken) =>
        AloneAsync(CatalogLock, "catalog check", () => catalogCheck.RunAsync(cancellationToken), cancellationToken);

    public Task ApplyRetention(CancellationToken cancellationToken) =>
        AloneAsync(RetentionLock, "retention", () => retention.RunAsync(cancellationToken), cancellationToken);

    /// <remarks>Run by <see cref="FrequentPasses"/>, as <see cref="WatchMachines"/> is and for the same reason (every 5 s).</remarks>
    public Task RefillPools(CancellationToken cancellationToken) =>
        AloneAsync(PoolsLock, "pool refill", () => pools.RunAsync(cancellationToken), cancellationToken, quietSkip: true);

    private async Task AloneAsync(long lockKey, string name, Func<Task> run, CancellationToken cancellationToken, bool quietSkip = false)
    {
        // A session lock, so a pass that runs for minutes holds no transaction open: on a connection of the session pool.
        await using var connection = await sessions.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({lockKey})", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                if (quietSkip)
                {
                    logger.PassSkipped(name);
                }
                else
                {
                    logger.MaintenanceSkipped(name);
                }

                return;
            }
        }

        try
        {
            await run();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({lockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
