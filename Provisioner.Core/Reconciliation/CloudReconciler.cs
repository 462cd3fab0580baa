using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// Compares what each cloud really runs for us with our records, both ways. The cloud is listed first, page by
/// page, so a machine launched during the run is never missed: a machine with no live record is terminated once it
/// is older than the grace period; a live record whose machine the cloud no longer has, or gave up on, is closed
/// with the reason; a live record that lost its launch's answer gets its machine back. One machine that cannot be
/// terminated or looked at is logged and counted, and the run goes on with the rest; so does a region the cloud would
/// not list (the run is marked partial, and nothing is concluded about records in that region).
/// </summary>
public sealed class CloudReconciler(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    ICloudProviderResolver providers,
    InstanceUpdater updater,
    TimeProvider clock,
    IOptions<LifecycleOptions> lifecycle,
    IOptions<ReconciliationOptions> options,
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
        var skipped = new SkippedMachines();
        try
        {
            var (machines, unread) = await OwnedMachineListing.ListAsync(provider, options.Value, cancellationToken);
            run.MachinesSeen = machines.Count;
            foreach (var region in unread)
            {
                logger.RegionNotListed(region.Error, provider.Name, region.Region);
            }

            await ReconcileMachinesAsync(provider, machines, run, skipped, cancellationToken);
            await ReconcileRecordsAsync(provider, machines, [.. unread.Select(u => u.Region)], run, skipped, cancellationToken);
            await PoolMachines.ReleaseLostAsync(dbFactory, provider, machines, [.. unread.Select(u => u.Region)], clock, skipped, cancellationToken);
            run.Error = PartialRuns.Summary(unread, skipped.Summary());
        }
        catch (CloudProviderException error)
        {
            // A cloud that cannot be listed right now is tried again next run; nothing is concluded from silence.
            run.Error = error.ToFailureReason();
            logger.StoppedEarly(error, provider.Name);
        }

        run.FinishedAt = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.ReconciliationRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.Reconciled(
            run.Backend, run.MachinesSeen, run.OrphansTerminated, run.OrphansInGrace, run.RecordsClosed, run.MachinesAdopted, skipped.Count);
        return run;
    }

    private async Task ReconcileMachinesAsync(
        ICloudProvider provider, IReadOnlyList<CloudMachine> machines, ReconciliationRun run, SkippedMachines skipped, CancellationToken cancellationToken)
    {
        var cloudIds = machines.Select(m => m.CloudInstanceId).ToList();
        var ownerIds = machines.Where(m => m.OwnerInstanceId is not null).Select(m => m.OwnerInstanceId!.Value).ToList();
        List<Instance> records;
        Dictionary<Guid, PoolMachine> inPools;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            inPools = await PoolMachines.InPoolAsync(db, ownerIds, cancellationToken);
            // One query for the whole listing; the matching below is by key, never a query per machine.
            records = await db.Instances.AsNoTracking()
                .Where(i => (i.Backend == provider.Name && i.CloudInstanceId != null && cloudIds.Contains(i.CloudInstanceId)) || ownerIds.Contains(i.Id))
                .ToListAsync(cancellationToken);
        }

        var byCloudId = records.Where(r => r.Backend == provider.Name && r.CloudInstanceId is not null)
            .ToDictionary(r => r.CloudInstanceId!, StringComparer.Ordinal);
        var unlaunchedById = records.Where(r => r.CloudInstanceId is null).ToDictionary(r => r.Id);

        var grace = lifecycle.Value.OrphanGracePeriod;
        foreach (var machine in machines)
        {
            var record = byCloudId.GetValueOrDefault(machine.CloudInstanceId)
                ?? (machine.OwnerInstanceId is { } owner ? unlaunchedById.GetValueOrDefault(owner) : null);
            if (record is not null && record.IsEarlierMachine(machine.CloudInstanceId))
            {
                // A machine its instance lost to an interruption and relaunched from: never adopted again, ended as an orphan
                // (the relaunch's release step ends it too; whichever comes first, the other finds it gone).
                record = null;
            }

            if (record is not null && InstanceLifecycle.IsLive(record.Status))
            {
                if (record.CloudInstanceId is null)
                {
                    await AdoptAsync(record.Id, machine, cancellationToken);
                    run.MachinesAdopted++;
                }

                continue;
            }

            if (record is null && machine.OwnerInstanceId is { } poolMachineId && inPools.TryGetValue(poolMachineId, out var pooled))
            {
                // A pool's machine (warm, starting or being released): its pool owns it. A launch answer lost is recovered here.
                await PoolMachines.AdoptAsync(dbFactory, pooled, machine, cancellationToken);
                continue;
            }

            if (clock.GetUtcNow() - machine.LaunchedAt < grace)
            {
                run.OrphansInGrace++;
                continue;
            }

            logger.TerminatingOrphan(
                machine.CloudInstanceId, provider.Name, record is null ? "none" : $"{record.Id} is {record.Status}");
            try
            {
                await provider.TerminateAsync(machine.Region, machine.CloudInstanceId, cancellationToken);
                run.OrphansTerminated++;
            }
            catch (CloudProviderException error)
            {
                // One machine the cloud will not end now must not leave every other orphan running: the next run tries again.
                logger.OrphanNotTerminated(error, machine.CloudInstanceId, provider.Name);
                skipped.Add($"terminate {machine.CloudInstanceId}", error);
            }
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

    private async Task ReconcileRecordsAsync(
        ICloudProvider provider, IReadOnlyList<CloudMachine> machines, HashSet<string> unreadRegions, ReconciliationRun run, SkippedMachines skipped, CancellationToken cancellationToken)
    {
        var listed = machines.ToDictionary(m => m.CloudInstanceId, StringComparer.Ordinal);
        var settledBefore = clock.GetUtcNow() - lifecycle.Value.NotFoundGracePeriod;
        List<Instance> live;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            live = await db.Instances.AsNoTracking()
                .Where(i => i.Backend == provider.Name && i.CloudInstanceId != null && i.LaunchedAt < settledBefore
                    && i.Status != InstanceStatus.Terminated && i.Status != InstanceStatus.Failed)
                .ToListAsync(cancellationToken);
        }

        foreach (var record in live)
        {
            var machine = listed.GetValueOrDefault(record.CloudInstanceId!);
            if (machine is null && unreadRegions.Contains(record.Region))
            {
                // Its region was not listed: silence there says nothing about the machine.
                continue;
            }

            if (machine is null)
            {
                try
                {
                    // Not listed is a hint, not proof (listings lag): ask for the machine itself before closing.
                    machine = await provider.DescribeAsync(record.Region, record.CloudInstanceId!, cancellationToken);
                }
                catch (CloudProviderException error)
                {
                    logger.MachineNotDescribed(error, record.CloudInstanceId, record.Id);
                    skipped.Add($"describe {record.CloudInstanceId}", error);
                    continue;
                }
            }

            if (machine is not null && machine.State is not (CloudMachineState.Terminated or CloudMachineState.Failed))
            {
                continue;
            }

            var closed = await updater.UpdateAsync(record.Id, (instance, now, work) =>
            {
                if (!InstanceLifecycle.IsLive(instance.Status))
                {
                    return false;
                }

                if (instance.Status == InstanceStatus.Stopping)
                {
                    // Its terminate step ends it; a machine the cloud gave up on still gets the delete it asked for.
                    if (machine?.State == CloudMachineState.Failed)
                    {
                        return false;
                    }

                    instance.MarkTerminated("reconciliation: the cloud no longer has the machine", now);
                }
                else if (instance.Status is InstanceStatus.Ready or InstanceStatus.Running && machine?.StoppedAt is not null
                    && MachineWatch.Interruption.Of(instance.CloudInstanceId!, CloudMachineStatus.Of(machine)) is { } interruption)
                {
                    // A machine the cloud says stopped at a time (stopped outside, reclaimed): what the machine watch
                    // concludes, should reconciliation see it first, so one event has one outcome and one bill.
                    instance.MarkInterrupted(interruption.Reason, interruption.StoppedAt, interruption.MachineGone, now);
                }
                else if (machine?.Failure is { } failure)
                {
                    // It bills until released: entering Failed schedules the terminate step, which deletes it and
                    // records the release.
                    instance.MarkFailed(failure.ToFailureReason(), now);
                }
                else
                {
                    instance.MarkFailed($"Vanished: the cloud no longer has machine {instance.CloudInstanceId}", now, machineGone: true);
                }

                return true;
            }, cancellationToken);
            run.RecordsClosed += closed ? 1 : 0;
        }
    }
}
