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
}
