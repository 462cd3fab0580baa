using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;

namespace Provisioner.Api.Ops.Queries;

internal sealed record SpendBy(string Name, decimal Cost);

internal sealed record TenantBudgetView(string Tenant, BudgetStatus Status);

/// <param name="Days">Every day of the window, oldest first, with what it cost (zero when nothing billed).</param>
/// <param name="AsOf">How far the rollups have folded: spend after it is not counted yet.</param>
/// <param name="PoolOverheadDays">Every day of the window with what warm pools' idle machines cost (up to now, not rolled up).</param>
/// <param name="ByPool">This month's pool overhead per pool.</param>
internal sealed record CostsView(
    IReadOnlyList<(DateOnly Day, decimal Cost)> Days, IReadOnlyList<SpendBy> ByTenant, IReadOnlyList<SpendBy> ByProvider,
    IReadOnlyList<TenantBudgetView> Budgets, DateTimeOffset MonthStart, DateTimeOffset? AsOf,
    IReadOnlyList<(DateOnly Day, decimal Cost)> PoolOverheadDays, IReadOnlyList<SpendBy> ByPool);

/// <summary>The Costs page's reads, all tenants together, from the daily rollups (<c>cost_rollups</c>) and the budgets.</summary>
internal sealed class OpsCostQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, BudgetCommands budgets, TimeProvider clock)
{
    public const int DaysShown = 30;
    private const int BudgetsShown = 100;

    public async Task<CostsView> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - DaysShown);
        var windowStart = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var monthStart = BudgetMonth.StartOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var daily = db.CostBuckets.AsNoTracking().Where(b => b.Granularity == CostGranularity.Day);
        var perDay = await daily.Where(b => b.BucketStart >= windowStart)
            .GroupBy(b => b.BucketStart).Select(g => new { Day = g.Key, Cost = g.Sum(b => b.Cost) })
            .ToDictionaryAsync(d => DateOnly.FromDateTime(d.Day.UtcDateTime), d => d.Cost, cancellationToken);
        var month = daily.Where(b => b.BucketStart >= monthStart);
        var byTenant = await month.GroupBy(b => b.Owner).Select(g => new { g.Key, Cost = g.Sum(b => b.Cost) })
            .OrderByDescending(s => s.Cost).Take(50).ToListAsync(cancellationToken);
        var byProvider = await month.GroupBy(b => b.Provider).Select(g => new { g.Key, Cost = g.Sum(b => b.Cost) }).ToListAsync(cancellationToken);
        var budgeted = await db.TenantBudgets.AsNoTracking().OrderBy(b => b.Owner).Select(b => b.Owner).Take(BudgetsShown).ToListAsync(cancellationToken);
        var asOf = await db.CostRollupRuns.AsNoTracking().MaxAsync(r => (DateTimeOffset?)r.FoldedUntil, cancellationToken);

        var views = new List<TenantBudgetView>();
        foreach (var tenant in budgeted)
        {
            // The same figures the tenant's own GET /api/budget answers with.
            if (await budgets.StatusAsync(tenant, cancellationToken) is { } status)
            {
                views.Add(new TenantBudgetView(tenant, status));
            }
        }

        var overhead = await PoolOverheadReport.DailyAsync(db, null, windowStart < monthStart ? windowStart : monthStart, now, now, cancellationToken);
        var overheadPerDay = overhead.GroupBy(o => o.Day).ToDictionary(g => g.Key, g => g.Sum(o => o.Cost));
        var byPool = overhead.Where(o => o.Day >= DateOnly.FromDateTime(monthStart.UtcDateTime)).GroupBy(o => o.Pool)
            .Select(g => new SpendBy(g.Key, Money.Round(g.Sum(o => o.Cost)))).OrderByDescending(p => p.Cost).ToList();

        var days = Enumerable.Range(0, DaysShown).Select(i => firstDay.AddDays(i)).Select(d => (d, Money.Round(perDay.GetValueOrDefault(d)))).ToList();
        return new CostsView(days, [.. byTenant.Select(t => new SpendBy(t.Key, Money.Round(t.Cost)))],
            [.. byProvider.OrderByDescending(p => p.Cost).Select(p => new SpendBy(OpsFormat.Name(p.Key), Money.Round(p.Cost)))],
            views, monthStart, asOf,
            [.. days.Select(d => (d.d, Money.Round(overheadPerDay.GetValueOrDefault(d.d))))], byPool);
    }
}
