using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Pools;

/// <summary>One pool's overhead on one UTC day: what its machines' time in the pool cost that day.</summary>
public sealed record PoolOverheadDay(Guid PoolId, string Pool, CloudProviderName Provider, string InstanceType, DateOnly Day, decimal Cost);

/// <summary>
/// Pool overhead per pool and UTC day, read from the pool machines themselves (launch to draw or release, pro rata to the
/// second: <see cref="PoolOverhead"/>), up to now. Every pool for operators; for a tenant, only the pools kept for it alone
/// (a shared pool's overhead is the operator's).
/// </summary>
public static class PoolOverheadReport
{
    /// <param name="dedicatedTo">A tenant: only pools whose tenants are exactly it; null for every pool.</param>
    public static async Task<IReadOnlyList<PoolOverheadDay>> DailyAsync(
        ProvisionerDbContext db, string? dedicatedTo, DateTimeOffset start, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = start;
        var end = to < now ? to : now;
        var pools = db.Pools.AsNoTracking().Where(p => dedicatedTo == null || (p.Tenants.Length == 1 && p.Tenants[0] == dedicatedTo));
        var rows = await (
            from m in db.PoolMachines.AsNoTracking()
            join p in pools on m.PoolId equals p.Id
            where m.LaunchedAt != null && m.LaunchedAt < end && (m.DrawnAt ?? m.ReleasedAt ?? end) > start
            select new { Machine = m, p.Name, p.Provider, p.InstanceType }).ToListAsync(cancellationToken);

        var days = new List<PoolOverheadDay>();
        for (var day = from.UtcDateTime.Date; day < end.UtcDateTime; day = day.AddDays(1))
        {
            var dayStart = new DateTimeOffset(day, TimeSpan.Zero);
            var dayEnd = dayStart.AddDays(1) < end ? dayStart.AddDays(1) : end;
            var first = dayStart > from ? dayStart : from;
            foreach (var pool in rows.GroupBy(r => r.Machine.PoolId))
            {
                var cost = pool.Sum(r => PoolOverhead.Within(r.Machine, first, dayEnd));
                if (cost > 0)
                {
                    var any = pool.First();
                    days.Add(new PoolOverheadDay(pool.Key, any.Name, any.Provider, any.InstanceType, DateOnly.FromDateTime(day), cost));
                }
            }
        }

        return days;
    }
}
