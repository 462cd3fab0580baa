using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// What reconciliation knows of pool machines: a machine whose ownership tag names a pool machine still in its pool is
/// the pool's, not an orphan; once drawn, its instance's record (matched by cloud id) owns it, and once released nothing
/// does, so it is reaped like any orphan.
/// </summary>
internal static class PoolMachines
{
    public static Task<Dictionary<Guid, PoolMachine>> InPoolAsync(ProvisionerDbContext db, List<Guid> ownerIds, CancellationToken cancellationToken) =>
        db.PoolMachines.AsNoTracking()
            .Where(m => ownerIds.Contains(m.Id)
                && (m.State == PoolMachineState.Starting || m.State == PoolMachineState.Warm || m.State == PoolMachineState.Releasing))
            .ToDictionaryAsync(m => m.Id, cancellationToken);

    /// <summary>Records the machine of a pool machine whose launch answer was lost (the refill then looks at it).</summary>
    public static async Task AdoptAsync(IDbContextFactory<ProvisionerDbContext> dbFactory, PoolMachine pooled, CloudMachine machine, CancellationToken cancellationToken)
    {
        if (pooled.CloudInstanceId is not null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.PoolMachines.SingleAsync(m => m.Id == pooled.Id, cancellationToken);
        stored.RecordLaunch(machine.CloudInstanceId, machine.LaunchedAt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The refill moved it meanwhile: it knows the machine now.
        }
    }

    /// <summary>
    /// Warm machines the cloud no longer has, or gave up on (terminated or reclaimed behind our back), leave their pool
    /// (released, so the refill replaces them and terminates what is left) before a create could draw a dead machine.
    /// Not listed is a hint, not proof: such a machine is described before it is concluded gone; a region not read says nothing.
    /// </summary>
    /// <returns>How many were released.</returns>
    public static async Task<int> ReleaseLostAsync(
        IDbContextFactory<ProvisionerDbContext> dbFactory, ICloudProvider provider, IReadOnlyList<CloudMachine> machines, HashSet<string> unreadRegions,
        TimeProvider clock, SkippedMachines skipped, CancellationToken cancellationToken)
    {
        List<PoolMachine> warm;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            warm = await db.PoolMachines.AsNoTracking()
                .Where(m => m.Backend == provider.Name && m.State == PoolMachineState.Warm && m.CloudInstanceId != null)
                .ToListAsync(cancellationToken);
        }

        var listed = machines.ToDictionary(m => m.CloudInstanceId, StringComparer.Ordinal);
        var released = 0;
        foreach (var pooled in warm.Where(m => !unreadRegions.Contains(m.Region)))
        {
            var machine = listed.GetValueOrDefault(pooled.CloudInstanceId!);
            if (machine is null)
            {
                try
                {
                    machine = await provider.DescribeAsync(pooled.Region, pooled.CloudInstanceId!, cancellationToken);
                }
                catch (CloudProviderException error)
                {
                    skipped.Add($"describe {pooled.CloudInstanceId}", error);
                    continue;
                }
            }

            if (machine is not null && machine.State is not (CloudMachineState.Terminated or CloudMachineState.ShuttingDown or CloudMachineState.Failed))
            {
                continue;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // Conditional on the row still being warm as read: a draw that came first keeps it (its instance's watch then judges it).
            released += await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE provisioner.pool_machines SET state = 'RELEASING', released_at = {clock.GetUtcNow()}, release_reason = {"lost: the cloud no longer runs machine " + pooled.CloudInstanceId} WHERE id = {pooled.Id} AND state = 'WARM'",
                cancellationToken);
        }

        return released;
    }
}
