using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Pools;

/// <summary>What operators can do with pools, and what they see of them. The refill (<see cref="PoolRefill"/>) does the rest.</summary>
public sealed class PoolCommands(IDbContextFactory<ProvisionerDbContext> dbFactory, IOptions<PoolsOptions> options, TimeProvider clock)
{
    /// <exception cref="PoolNameTakenException">Another pool not deleted has the name; nothing is written.</exception>
    public async Task<WarmPool> CreateAsync(PoolDefinition definition, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pool = new WarmPool(Guid.CreateVersion7(now), definition.Name, definition.Provider, definition.InstanceType, definition.Region,
            definition.DiskSizeGB, definition.Size, definition.Tenants, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Pools.Add(pool);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException error) when (error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_pools_name" })
        {
            throw new PoolNameTakenException(definition.Name);
        }

        return pool;
    }

    /// <summary>Every pool not deleted (and, when asked, the deleted ones), oldest first.</summary>
    public async Task<IReadOnlyList<PoolView>> ListAsync(bool includeDeleted, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pools = await db.Pools.AsNoTracking()
            .Where(p => includeDeleted || p.Status != WarmPoolStatus.Deleted)
            .OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        var views = new List<PoolView>(pools.Count);
        foreach (var pool in pools)
        {
            views.Add(await ViewAsync(db, pool, cancellationToken));
        }

        return views;
    }

    /// <exception cref="PoolNotFoundException">No such pool.</exception>
    public async Task<PoolView> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.Pools.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new PoolNotFoundException(id);
        return await ViewAsync(db, pool, cancellationToken);
    }

    /// <summary>Changes a pool's size or tenants (what is null stays); the next refill acts on it.</summary>
    /// <exception cref="PoolNotFoundException">No such pool, or it is being deleted.</exception>
    public async Task<PoolView> UpdateAsync(Guid id, PoolSize? size, string[]? tenants, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.Pools.SingleOrDefaultAsync(p => p.Id == id && p.Status == WarmPoolStatus.Active, cancellationToken)
            ?? throw new PoolNotFoundException(id);
        var now = clock.GetUtcNow();
        if (size is not null)
        {
            pool.Resize(size, now);
        }

        if (tenants is not null)
        {
            pool.AllowTenants(tenants, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(db, pool, cancellationToken);
    }

    /// <summary>
    /// Empties a pool now but keeps it: min 0, autoscaling off, and every warm machine released at once (not after its idle
    /// time); a machine an instance drew meanwhile stays the instance's. The refill terminates them.
    /// </summary>
    /// <returns>How many warm machines were released.</returns>
    /// <exception cref="PoolNotFoundException">No such pool, or it is being deleted.</exception>
    public async Task<int> DrainNowAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.Pools.SingleOrDefaultAsync(p => p.Id == id && p.Status == WarmPoolStatus.Active, cancellationToken)
            ?? throw new PoolNotFoundException(id);
        var now = clock.GetUtcNow();
        pool.Resize(pool.Size with { Min = 0, Autoscale = false }, now);
        await db.SaveChangesAsync(cancellationToken);
        // One conditional update: a machine drawn between the read and this write is no longer WARM and is left alone.
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE provisioner.pool_machines SET state = 'RELEASING', released_at = {now}, release_reason = 'drained by an operator' WHERE pool_id = {id} AND state = 'WARM'",
            cancellationToken);
    }

    /// <summary>Deletes a pool: no draw from it from now on; the refill releases its machines, then marks it deleted. Idempotent.</summary>
    /// <exception cref="PoolNotFoundException">No such pool.</exception>
    public async Task<PoolView> DrainAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.Pools.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new PoolNotFoundException(id);
        if (pool.Drain(clock.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return await ViewAsync(db, pool, cancellationToken);
    }

    private async Task<PoolView> ViewAsync(ProvisionerDbContext db, WarmPool pool, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var machines = await db.PoolMachines.AsNoTracking()
            .Where(m => m.PoolId == pool.Id && (m.State == PoolMachineState.Starting || m.State == PoolMachineState.Warm
                || m.State == PoolMachineState.Releasing || m.DrawnAt >= today || m.ReleasedAt >= today))
            .OrderBy(m => m.LaunchRequestedAt).ToListAsync(cancellationToken);
        var requests = await (
            from r in db.PoolRequests.AsNoTracking()
            join i in db.Instances.AsNoTracking() on r.InstanceId equals i.Id into joined
            from i in joined.DefaultIfEmpty()
            where r.PoolId == pool.Id && r.At >= today
            select new { r.Served, r.At, ReadyAt = i == null ? null : i.ReadyAt }).ToListAsync(cancellationToken);
        double? MeanToReady(bool served) =>
            requests.Where(r => r.Served == served && r.ReadyAt != null) is var ready && ready.Any()
                ? ready.Average(r => (r.ReadyAt!.Value - r.At).TotalSeconds)
                : null;

        return new PoolView(
            pool,
            pool.Status == WarmPoolStatus.Active ? await PoolDemand.TargetAsync(db, pool, options.Value, now, cancellationToken) : 0,
            machines,
            requests.Count,
            requests.Count(r => r.Served),
            MeanToReady(served: true),
            MeanToReady(served: false),
            machines.Sum(m => PoolOverhead.Within(m, today, now)));
    }
}
