using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Pools;

/// <summary>
/// Keeps every pool at its target, one pass at a time (recurring job <c>refill-pools</c>, once per period across workers):
/// launches what a pool lacks, marks booted machines warm, releases warm machines idle past the pool's limit above its
/// target (every machine of a deleted pool), and finishes releases. No wait for a boot: a machine not running yet is
/// looked at again next pass.
/// <para>Crash-safe as the instance launch is: the intent (a <see cref="PoolMachine"/> row) is committed before the
/// cloud is asked, the launch token derives from its id, so a pass after a crash re-sends the same launch and gets the
/// same machine; a machine is only ever moved by a conditional update of its row, so a draw racing a release is
/// decided by the database, once.</para>
/// </summary>
public sealed class PoolRefill(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    ICloudProviderResolver providers,
    InstanceTypeCatalog catalog,
    IOptions<PoolsOptions> options,
    TimeProvider clock,
    ILogger<PoolRefill> logger)
{
    /// <summary>Tag on every pool machine naming its pool, beside the ownership tags.</summary>
    public const string PoolTag = OwnershipTags.Prefix + "pool";

    public async Task<IReadOnlyList<PoolRefillRun>> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> pools;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            pools = await db.Pools.AsNoTracking().Where(p => p.Status != WarmPoolStatus.Deleted)
                .OrderBy(p => p.CreatedAt).Select(p => p.Id).ToListAsync(cancellationToken);
        }

        var runs = new List<PoolRefillRun>(pools.Count);
        foreach (var id in pools)
        {
            runs.Add(await RefillAsync(id, cancellationToken));
        }

        return runs;
    }

    public async Task<PoolRefillRun> RefillAsync(Guid poolId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        WarmPool pool;
        List<PoolMachine> machines;
        int target;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            pool = await db.Pools.AsNoTracking().SingleAsync(p => p.Id == poolId, cancellationToken);
            machines = await db.PoolMachines.AsNoTracking()
                .Where(m => m.PoolId == poolId && (m.State == PoolMachineState.Starting || m.State == PoolMachineState.Warm || m.State == PoolMachineState.Releasing))
                .OrderBy(m => m.LaunchRequestedAt).ToListAsync(cancellationToken);
            target = pool.Status == WarmPoolStatus.Active ? await PoolDemand.TargetAsync(db, pool, settings, clock.GetUtcNow(), cancellationToken) : 0;
        }

        var provider = providers.ForRequested(pool.Provider);
        int launched = 0, warmed = 0, released = 0;
        try
        {
            foreach (var machine in machines.Where(m => m.State == PoolMachineState.Starting).ToList())
            {
                var moved = await AdvanceAsync(provider, pool, machine, cancellationToken);
                if (moved?.State == PoolMachineState.Warm)
                {
                    warmed++;
                }

                Replace(machines, machine, moved);
            }

            var now = clock.GetUtcNow();
            var inPool = machines.Where(m => m.State is PoolMachineState.Starting or PoolMachineState.Warm).ToList();
            foreach (var (machine, reason) in ToRelease(pool, inPool, target, now))
            {
                Replace(machines, machine, await ReleaseAsync(machine.Id, reason, cancellationToken));
            }

            var kept = machines.Count(m => m.State is PoolMachineState.Starting or PoolMachineState.Warm);
            for (var i = kept; i < Math.Min(target, pool.Max); i++)
            {
                var intent = await AddIntentAsync(pool, provider, cancellationToken);
                launched++;
                machines.Add(await AdvanceAsync(provider, pool, intent, cancellationToken) ?? intent);
            }

            foreach (var machine in machines.Where(m => m.State == PoolMachineState.Releasing).ToList())
            {
                if (await FinishReleaseAsync(provider, machine, cancellationToken))
                {
                    released++;
                    Replace(machines, machine, null);
                }
            }

            if (pool.Status == WarmPoolStatus.Draining && !machines.Any(m => m.State is PoolMachineState.Starting or PoolMachineState.Warm or PoolMachineState.Releasing))
            {
                await MarkDeletedAsync(poolId, cancellationToken);
            }

            return new PoolRefillRun(pool.Name, target, launched, warmed, released);
        }
        catch (CloudProviderException error)
        {
            // One cloud's refusal stops this pool's pass, not the others': the next pass tries again.
            logger.RefillStopped(error, pool.Name);
            return new PoolRefillRun(pool.Name, target, launched, warmed, released, error.ToFailureReason());
        }
    }

    /// <summary>
    /// Which machines leave the pool now: all of a deleted pool's; warm ones near their deadline; of the rest, warm
    /// machines idle past the limit, longest idle first, while more than the target are kept. A starting machine is
    /// never released for surplus (it was paid to boot; it may be drawn soon).
    /// </summary>
    internal static IEnumerable<(PoolMachine Machine, string Reason)> ToRelease(WarmPool pool, IReadOnlyList<PoolMachine> inPool, int target, DateTimeOffset now)
    {
        if (pool.Status != WarmPoolStatus.Active)
        {
            foreach (var machine in inPool)
            {
                yield return (machine, "drained: the pool was deleted");
            }

            yield break;
        }

        var kept = inPool.Count;
        foreach (var machine in inPool.Where(m => m.State == PoolMachineState.Warm).OrderBy(m => m.ReadyAt))
        {
            if (machine.Deadline - now < PoolsOptions.ServeMargin)
            {
                kept--;
                yield return (machine, $"retired: its deadline {machine.Deadline:O} is too near to serve a request");
            }
            else if (kept > target && now - machine.ReadyAt >= TimeSpan.FromMinutes(pool.IdleMinutes))
            {
                kept--;
                yield return (machine, $"idle for {pool.IdleMinutes} minutes above the pool's target of {target}");
            }
        }
    }

    /// <summary>Launches a starting machine (again, by its token, when a crash lost the answer) and looks at it: warm once it runs.</summary>
    /// <returns>The machine as stored after the look; null if it left the pool meanwhile.</returns>
    private async Task<PoolMachine?> AdvanceAsync(ICloudProvider provider, WarmPool pool, PoolMachine machine, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        CloudMachine? seen;
        if (machine.CloudInstanceId is null)
        {
            seen = await provider.LaunchAsync(new LaunchSpec(
                machine.Id, machine.LaunchToken, $"pool-{pool.Name}", machine.InstanceType, machine.Region, machine.DiskSizeGB,
                new Dictionary<string, string>(StringComparer.Ordinal) { [PoolTag] = pool.Name }, machine.Deadline), cancellationToken);
        }
        else
        {
            seen = await provider.DescribeAsync(machine.Region, machine.CloudInstanceId, cancellationToken);
        }

        return await UpdateAsync(machine.Id, stored =>
        {
            if (stored.State != PoolMachineState.Starting)
            {
                return;
            }

            if (seen is not null)
            {
                stored.RecordLaunch(seen.CloudInstanceId, seen.LaunchedAt);
            }

            switch (seen?.State)
            {
                case CloudMachineState.Running:
                    stored.MarkWarm(seen.PublicIp, seen.PrivateIp, now);
                    break;
                case CloudMachineState.Failed or CloudMachineState.ShuttingDown or CloudMachineState.Terminated:
                    stored.Release($"failed to start: the cloud reports it {seen.State.ToString().ToUpperInvariant()}", now);
                    break;
                case null when now - stored.LaunchRequestedAt >= options.Value.StartTimeout:
                    stored.Release("failed to start: the cloud does not know the machine", now);
                    break;
                default:
                    if (now - stored.LaunchRequestedAt >= options.Value.StartTimeout)
                    {
                        stored.Release($"failed to start within {options.Value.StartTimeout.TotalMinutes:0.#} minutes", now);
                    }

                    break;
            }
        }, cancellationToken);
    }

    private async Task<PoolMachine> AddIntentAsync(WarmPool pool, ICloudProvider provider, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var price = catalog.TryFind(pool.Provider, pool.InstanceType, out var offer) ? offer.PricePerHour : 0m;
        var machine = new PoolMachine(Guid.CreateVersion7(now), pool, provider.Name, price, now + options.Value.MachineLifetime, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The intent, written before the act: a crash after the launch leaves a row whose token finds the machine.
        db.PoolMachines.Add(machine);
        await db.SaveChangesAsync(cancellationToken);
        return machine;
    }

    private Task<PoolMachine?> ReleaseAsync(Guid machineId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(machineId, stored =>
        {
            // A draw that came first wins: the machine is the instance's now.
            if (stored.State is PoolMachineState.Starting or PoolMachineState.Warm)
            {
                stored.Release(reason, clock.GetUtcNow());
            }
        }, cancellationToken);

    /// <summary>Terminates a releasing machine (finding it by its tag when its launch answer was lost) and records it released.</summary>
    private async Task<bool> FinishReleaseAsync(ICloudProvider provider, PoolMachine machine, CancellationToken cancellationToken)
    {
        var cloudId = machine.CloudInstanceId
            ?? (await provider.FindByInstanceAsync(machine.Region, machine.Id, cancellationToken))?.CloudInstanceId;
        if (cloudId is not null)
        {
            // Terminating what is already gone is success (the port's rule), so a repeat is harmless.
            await provider.TerminateAsync(machine.Region, cloudId, cancellationToken);
        }

        var stored = await UpdateAsync(machine.Id, m =>
        {
            if (m.State == PoolMachineState.Releasing)
            {
                if (cloudId is not null)
                {
                    m.RecordLaunch(cloudId, m.LaunchedAt ?? m.LaunchRequestedAt);
                }

                m.MarkReleased(clock.GetUtcNow());
            }
        }, cancellationToken);
        return stored?.State == PoolMachineState.Released;
    }

    private async Task MarkDeletedAsync(Guid poolId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.Pools.SingleAsync(p => p.Id == poolId, cancellationToken);
        if (pool.Status == WarmPoolStatus.Draining)
        {
            pool.MarkDeleted(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            logger.PoolDeleted(pool.Name);
        }
    }

    /// <summary>Loads the machine, lets <paramref name="change"/> move it, saves it if its row is unchanged since: a lost race reloads and decides again.</summary>
    private async Task<PoolMachine?> UpdateAsync(Guid machineId, Action<PoolMachine> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var machine = await db.PoolMachines.SingleAsync(m => m.Id == machineId, cancellationToken);
            change(machine);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return machine;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Drawn (or moved by a pass of another worker) under us: decide again on what it is now.
            }
        }
    }

    private static void Replace(List<PoolMachine> machines, PoolMachine old, PoolMachine? now)
    {
        machines.Remove(old);
        if (now is not null && now.State != PoolMachineState.Released)
        {
            machines.Add(now);
        }
    }
}
