using Microsoft.EntityFrameworkCore;
using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;

namespace Provisioner.Api.Costs;

/// <summary>Spend reports from the rollups (exact up to the last rollup, which runs every <c>Costs:RollupInterval</c>).</summary>
public sealed class CostQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, InstanceTypeCatalog catalog, TimeProvider clock)
{
    public async Task<DailyCostsEnvelope> DailyAsync(string owner, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var firstDay = from.UtcDateTime.Date;
        var lastDay = to.AddTicks(-1).UtcDateTime.Date;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var spend = await db.CostBuckets.AsNoTracking()
            .Where(b => b.Owner == owner && b.Granularity == CostGranularity.Day
                && b.BucketStart >= new DateTimeOffset(firstDay, TimeSpan.Zero) && b.BucketStart <= new DateTimeOffset(lastDay, TimeSpan.Zero))
            .GroupBy(b => b.BucketStart)
            .Select(g => new { Day = g.Key, Cost = g.Sum(b => b.Cost) })
            .ToDictionaryAsync(d => d.Day.UtcDateTime.Date, d => d.Cost, cancellationToken);
        var overhead = (await PoolOverheadReport.DailyAsync(db, owner, from, to, clock.GetUtcNow(), cancellationToken))
            .GroupBy(o => o.Day).ToDictionary(g => g.Key.ToDateTime(TimeOnly.MinValue), g => g.Sum(o => o.Cost));
        var days = new List<DailyCost>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            days.Add(new DailyCost(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Money.Round(spend.GetValueOrDefault(day)),
                Money.Round(overhead.GetValueOrDefault(day))));
        }

        return new DailyCostsEnvelope(true, from, to, await AsOfAsync(db, cancellationToken), Money.Round(spend.Values.Sum()), days, Money.Round(overhead.Values.Sum()));
    }

    public async Task<SavingsEnvelope> SavingsAsync(string owner, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var firstHour = CostFold.HourOf(from);
        var actual = await db.CostBuckets.AsNoTracking()
            .Where(b => b.Owner == owner && b.Granularity == CostGranularity.Hour && b.BucketStart >= firstHour && b.BucketStart < to)
            .GroupBy(b => new { b.Provider, b.InstanceType })
            .Select(g => new { g.Key.Provider, g.Key.InstanceType, Cost = g.Sum(b => b.Cost) })
            .ToListAsync(cancellationToken);

        // The most instances of a type billing at once: +1 where each span starts, -1 where it ends, a running sum in
        // time order (ends before starts at the same instant, so back-to-back instances are not counted as overlapping).
        var peaks = await db.Database.SqlQueryRaw<PeakRow>($"""
            WITH billed AS (
                SELECT provider, instance_type, cost_per_hour AS price, launched_at AS l, coalesce({BillingSql.BillingEnd}, @now) AS u
                  FROM provisioner.instances
                 WHERE owner = @owner AND launched_at IS NOT NULL AND launched_at < @to AND coalesce({BillingSql.BillingEnd}, @now) > @from
                UNION ALL
                -- The machines relaunched instances lost to interruptions: each billed for its own span.
                SELECT upper(m.provider), m."instanceType", m."pricePerHour", m."launchedAt", m."endedAt"
                  FROM provisioner.instances i
                 CROSS JOIN LATERAL jsonb_to_recordset(i.machines) AS m(provider text, "instanceType" text, "pricePerHour" numeric, "launchedAt" timestamptz, "endedAt" timestamptz)
                 WHERE i.owner = @owner AND i.earlier_machines_cost > 0 AND m."launchedAt" < @to AND m."endedAt" > @from),
            spans AS (
                SELECT provider, instance_type, max(price) OVER (PARTITION BY provider, instance_type) AS price,
                       greatest(l, @from) AS s, least(u, @to) AS e
                  FROM billed),
            edges AS (
                SELECT provider, instance_type, price, s AS t, 1 AS d FROM spans WHERE e > s
                UNION ALL
                SELECT provider, instance_type, price, e AS t, -1 AS d FROM spans WHERE e > s),
            running AS (
                SELECT provider, instance_type, price, sum(d) OVER (PARTITION BY provider, instance_type ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS n
                  FROM edges)
            SELECT provider AS "Provider", instance_type AS "InstanceType", max(price) AS "Price", max(n)::int AS "Peak"
              FROM running GROUP BY provider, instance_type
            """,
            new NpgsqlParameter("owner", owner), new NpgsqlParameter("from", from), new NpgsqlParameter("to", to),
            new NpgsqlParameter("now", clock.GetUtcNow())).ToListAsync(cancellationToken);

        var overhead = await PoolOverheadReport.DailyAsync(db, owner, from, to, clock.GetUtcNow(), cancellationToken);
        var hours = (to - from).TotalHours;
        var byType = new List<SavingsByType>();
        foreach (var key in peaks.Select(p => (p.Provider, p.InstanceType))
            .Union(actual.Select(a => (Provider: a.Provider.ToString().ToUpperInvariant(), a.InstanceType)))
            .Union(overhead.Select(o => (Provider: o.Provider.ToString().ToUpperInvariant(), o.InstanceType))).Distinct())
        {
            var provider = Enum.Parse<CloudProviderName>(key.Provider, ignoreCase: true);
            var peak = peaks.FirstOrDefault(p => p.Provider == key.Provider && p.InstanceType == key.InstanceType);
            var price = catalog.TryFind(provider, key.InstanceType, out var offer) ? offer.PricePerHour : peak?.Price ?? 0m;
            var spent = actual.Where(a => a.Provider == provider && a.InstanceType == key.InstanceType).Sum(a => a.Cost);
            var alwaysOn = price * (decimal)hours * (peak?.Peak ?? 0);
            // Warm machines kept for this tenant are part of what its savings cost.
            var pooled = overhead.Where(o => o.Provider == provider && o.InstanceType == key.InstanceType).Sum(o => o.Cost);
            byType.Add(new SavingsByType(provider, key.InstanceType, peak?.Peak ?? 0, Math.Round(hours, 4), Money.Normalize(price), Money.Round(alwaysOn),
                Money.Round(spent + pooled), Money.Round(pooled)));
        }

        var totalActual = byType.Sum(t => t.ActualCost);
        var totalAlwaysOn = byType.Sum(t => t.AlwaysOnCost);
        var saving = totalAlwaysOn - totalActual;
        return new SavingsEnvelope(true, from, to, await AsOfAsync(db, cancellationToken), totalActual, totalAlwaysOn, saving,
            totalAlwaysOn == 0 ? 0 : Math.Round(saving / totalAlwaysOn * 100m, 2),
            [.. byType.OrderByDescending(t => t.AlwaysOnCost).ThenBy(t => t.InstanceType, StringComparer.Ordinal)], byType.Sum(t => t.PoolOverhead));
    }

    private static Task<DateTimeOffset?> AsOfAsync(ProvisionerDbContext db, CancellationToken cancellationToken) =>
        db.CostRollupRuns.AsNoTracking().MaxAsync(r => (DateTimeOffset?)r.FoldedUntil, cancellationToken);

    private sealed record PeakRow(string Provider, string InstanceType, decimal Price, int Peak);
}
