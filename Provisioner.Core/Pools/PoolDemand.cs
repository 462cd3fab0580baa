using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Pools;

/// <summary>What an autoscaled pool's target is computed from (<see cref="PoolTarget"/>): its recent matching requests and the cloud's measured boot time.</summary>
internal static class PoolDemand
{
    /// <summary>How many recent boots the measured boot time averages.</summary>
    private const int BootSamples = 20;

    public static async Task<int> TargetAsync(ProvisionerDbContext db, WarmPool pool, PoolsOptions settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!pool.Autoscale)
        {
            return pool.Min;
        }

        var since = now - settings.DemandWindow;
        var requests = await db.PoolRequests.CountAsync(r => r.PoolId == pool.Id && r.At >= since, cancellationToken);
        return PoolTarget.For(pool.Size, requests, settings.DemandWindow, await BootTimeAsync(db, pool, cancellationToken));
    }

    /// <summary>
    /// The mean launch-to-running time of the pool's last boots; before it has any, that of the last instances launched
    /// cold on its offer (request to READY); null when neither exists.
    /// </summary>
    public static async Task<TimeSpan?> BootTimeAsync(ProvisionerDbContext db, WarmPool pool, CancellationToken cancellationToken)
    {
        var pooled = await db.PoolMachines.AsNoTracking()
            .Where(m => m.PoolId == pool.Id && m.ReadyAt != null)
            .OrderByDescending(m => m.ReadyAt).Take(BootSamples)
            .Select(m => new { m.LaunchRequestedAt, m.ReadyAt })
            .ToListAsync(cancellationToken);
        if (pooled.Count > 0)
        {
            return TimeSpan.FromTicks((long)pooled.Average(m => (m.ReadyAt!.Value - m.LaunchRequestedAt).Ticks));
        }

        var cold = await db.Instances.AsNoTracking()
            .Where(i => i.Provider == pool.Provider && i.InstanceType == pool.InstanceType && i.Region == pool.Region
                && i.ReadyAt != null && i.LaunchRequestedAt != null)
            .OrderByDescending(i => i.ReadyAt).Take(BootSamples)
            .Select(i => new { i.LaunchRequestedAt, i.ReadyAt })
            .ToListAsync(cancellationToken);
        return cold.Count == 0 ? null : TimeSpan.FromTicks((long)cold.Average(i => (i.ReadyAt!.Value - i.LaunchRequestedAt!.Value).Ticks));
    }
}
