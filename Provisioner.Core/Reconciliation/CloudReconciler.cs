using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// Compares what each cloud really runs for us with our records, both ways. The cloud is listed first, so a
/// machine launched during the run is never missed: a machine with no live record is terminated once it is
/// older than the grace period; a live record whose machine the cloud no longer has is closed with the reason;
/// a live record that lost its launch's answer gets its machine back.
/// </summary>
public sealed class CloudReconciler(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    ICloudProviderResolver providers,
    InstanceUpdater updater,
    TimeProvider clock,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<CloudReconciler> logger)
{
    public async Task<IReadOnlyList<ReconciliationRun>> ReconcileAllAsync(CancellationToken cancellationToken)
    {
        var runs = new List<ReconciliationRun>();
        foreach (var provider in providers.All)
        {
            runs.Add(await ReconcileAsync(provider, cancellationToken));
        }

        return runs;
    }

    public async Task<ReconciliationRun> ReconcileAsync(ICloudProvider provider, CancellationToken cancellationToken)
    {
        var run = new ReconciliationRun(provider.Name, clock.GetUtcNow());
        try
        {
            var machines = await provider.ListOwnedAsync(cancellationToken);
            run.MachinesSeen = machines.Count;
            await ReconcileMachinesAsync(provider, machines, run, cancellationToken);
            await ReconcileRecordsAsync(provider, machines, run, cancellationToken);
        }
        catch (CloudProviderException error)
        {
            // A cloud that cannot be listed right now is tried again next run; nothing is concluded from silence.
            run.Error = error.ToFailureReason();
            logger.LogWarning(error, "Reconciliation of {Backend} stopped early", provider.Name);
        }

        run.FinishedAt = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.ReconciliationRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation(
            "Reconciled {Backend}: {Seen} machines, {Orphans} orphans terminated, {InGrace} in grace, {Closed} records closed, {Adopted} adopted",
            run.Backend, run.MachinesSeen, run.OrphansTerminated, run.OrphansInGrace, run.RecordsClosed, run.MachinesAdopted);
        return run;
    }

    private async Task ReconcileMachinesAsync(ICloudProvider provider, IReadOnlyList<CloudMachine> machines, ReconciliationRun run, CancellationToken cancellationToken)
    {
        var cloudIds = machines.Select(m => m.CloudInstanceId).ToList();
        var ownerIds = machines.Where(m => m.OwnerInstanceId is not null).Select(m => m.OwnerInstanceId!.Value).ToList();
        List<Instance> records;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            records = await db.Instances.AsNoTracking()
                .Where(i => (i.Backend == provider.Name && i.CloudInstanceId != null && cloudIds.Contains(i.CloudInstanceId)) || ownerIds.Contains(i.Id))
                .ToListAsync(cancellationToken);
        }

        var grace = lifecycle.Value.OrphanGracePeriod;
        foreach (var machine in machines)
        {
            var record = records.FirstOrDefault(r => r.Backend == provider.Name && r.CloudInstanceId == machine.CloudInstanceId)
                ?? records.FirstOrDefault(r => r.Id == machine.OwnerInstanceId && r.CloudInstanceId is null);

            if (record is not null && InstanceTransitions.IsLive(record.Status))
            {
                if (record.CloudInstanceId is null)
                {
                    await AdoptAsync(record.Id, machine, cancellationToken);
                    run.MachinesAdopted++;
                }

                continue;
            }

            if (clock.GetUtcNow() - machine.LaunchedAt < grace)
            {
                run.OrphansInGrace++;
                continue;
            }

            logger.LogWarning("Machine {CloudInstanceId} on {Backend} has no live record ({Record}); terminating it",
                machine.CloudInstanceId, provider.Name, record is null ? "none" : $"{record.Id} is {record.Status}");
            await provider.TerminateAsync(machine.Region, machine.CloudInstanceId, cancellationToken);
            run.OrphansTerminated++;
        }
    }

    private Task AdoptAsync(Guid instanceId, CloudMachine machine, CancellationToken cancellationToken) =>
        updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.CloudInstanceId is not null)
            {
                return false;
            }

            instance.RecordLaunch(machine.CloudInstanceId, machine.LaunchedAt, now);
            work.Add(new InstanceWork(
                instance.Status is InstanceStatus.Provisioning ? InstanceWorkKind.AwaitReady : InstanceWorkKind.Terminate, instance.Id, now));
            return true;
        }, cancellationToken);

    private async Task ReconcileRecordsAsync(ICloudProvider provider, IReadOnlyList<CloudMachine> machines, ReconciliationRun run, CancellationToken cancellationToken)
    {
        var listed = machines.Select(m => m.CloudInstanceId).ToHashSet(StringComparer.Ordinal);
        var settledBefore = clock.GetUtcNow() - lifecycle.Value.NotFoundGracePeriod;
        List<Instance> live;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            live = await db.Instances.AsNoTracking()
                .Where(i => i.Backend == provider.Name && i.CloudInstanceId != null && i.LaunchedAt < settledBefore
                    && i.Status != InstanceStatus.Terminated && i.Status != InstanceStatus.Failed)
                .ToListAsync(cancellationToken);
        }

        foreach (var record in live.Where(r => !listed.Contains(r.CloudInstanceId!)))
        {
            // Not listed is a hint, not proof (listings lag): ask for the machine itself before closing.
            var machine = await provider.DescribeAsync(record.Region, record.CloudInstanceId!, cancellationToken);
            if (machine is not null && machine.State != CloudMachineState.Terminated)
            {
                continue;
            }

            var closed = await updater.UpdateAsync(record.Id, (instance, now, _) =>
            {
                if (!InstanceTransitions.IsLive(instance.Status))
                {
                    return false;
                }

                if (instance.Status == InstanceStatus.Stopping)
                {
                    instance.MarkTerminated("reconciliation: the cloud no longer has the machine", now);
                }
                else
                {
                    instance.MarkFailed($"Vanished: the cloud no longer has machine {instance.CloudInstanceId}", now);
                }

                return true;
            }, cancellationToken);
            run.RecordsClosed += closed ? 1 : 0;
        }
    }
}
