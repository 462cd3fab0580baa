using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Instances;

/// <summary>Reads for the API. They read our records only: no request ever waits on a cloud.</summary>
public sealed class InstanceQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Instance?> FindAsync(string owner, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.Owner == owner, cancellationToken);
    }

    /// <summary>Newest first; one row more than asked tells whether another page exists.</summary>
    public async Task<(IReadOnlyList<Instance> Page, ListCursor? Next)> ListAsync(
        string owner, string? userId, InstanceStatus? status, int limit, ListCursor? after, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Instances.AsNoTracking().Where(i => i.Owner == owner);
        if (userId is not null)
        {
            query = query.Where(i => i.UserId == userId);
        }

        if (status is { } s)
        {
            query = query.Where(i => i.Status == s);
        }

        if (after is { } cursor)
        {
            query = query.Where(i => i.CreatedAt < cursor.CreatedAt || (i.CreatedAt == cursor.CreatedAt && i.Id < cursor.Id));
        }

        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= limit)
        {
            return (rows, null);
        }

        rows.RemoveAt(limit);
        var last = rows[^1];
        return (rows, new ListCursor(last.CreatedAt, last.Id));
    }

    public async Task<IReadOnlyList<InstanceEvent>> EventsAsync(string owner, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.InstanceEvents.AsNoTracking()
            .Where(e => e.InstanceId == id && db.Instances.Any(i => i.Id == id && i.Owner == owner))
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Aggregates in the database; live instances' cost is brought up to now here.</summary>
    public async Task<InstanceStatistics> StatisticsAsync(string owner, string? userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = db.Instances.AsNoTracking().Where(i => i.Owner == owner);
        if (userId is not null)
        {
            scope = scope.Where(i => i.UserId == userId);
        }

        var byGroup = await scope
            .GroupBy(i => new { i.Provider, i.InstanceType, i.Status })
            .Select(g => new { g.Key.Provider, g.Key.InstanceType, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var finished = await scope
            .Where(i => i.Status == InstanceStatus.Terminated || i.Status == InstanceStatus.Failed)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Cost = g.Sum(i => i.TotalCost),
                Seconds = g.Sum(i => (i.TerminatedAt!.Value - i.CreatedAt).TotalSeconds),
            })
            .SingleOrDefaultAsync(cancellationToken);

        // Live instances accrue up to now, computed in the database as Instance.CostAt does (6 decimals, half away
        // from zero) so a tenant with thousands of running instances is not loaded row by row.
        var now = clock.GetUtcNow();
        var liveCost = await db.Database.SqlQuery<decimal>(userId is null
            ? (FormattableString)$"""
              SELECT coalesce(sum(round(cost_per_hour * extract(epoch FROM ({now} - launched_at)) / 3600, 6)), 0) AS "Value"
                FROM provisioner.instances
               WHERE owner = {owner} AND status NOT IN ('TERMINATED', 'FAILED') AND launched_at < {now}
              """
            : (FormattableString)$"""
              SELECT coalesce(sum(round(cost_per_hour * extract(epoch FROM ({now} - launched_at)) / 3600, 6)), 0) AS "Value"
                FROM provisioner.instances
               WHERE owner = {owner} AND user_id = {userId} AND status NOT IN ('TERMINATED', 'FAILED') AND launched_at < {now}
              """).SingleAsync(cancellationToken);

        var finishedCount = finished?.Count ?? 0;
        return new InstanceStatistics(
            TotalProvisioned: byGroup.Sum(g => g.Count),
            CurrentlyRunning: byGroup.Where(g => InstanceTransitions.InUse.Contains(g.Status)).Sum(g => g.Count),
            TotalCost: Money.Round((finished?.Cost ?? 0m) + liveCost),
            AverageDuration: finishedCount == 0 ? 0 : Math.Round(finished!.Seconds / 3600.0 / finishedCount, 4),
            AverageCost: finishedCount == 0 ? 0 : Money.Round(finished!.Cost / finishedCount),
            ProviderBreakdown: Breakdown(byGroup.Select(g => (CreateInstanceRequestValidator.ProviderName(g.Provider), g.Count))),
            InstanceTypeBreakdown: Breakdown(byGroup.Select(g => (g.InstanceType, g.Count))),
            StatusBreakdown: Breakdown(byGroup.Select(g => (InstanceStatusNames.Of(g.Status), g.Count))));
    }

    private static SortedDictionary<string, int> Breakdown(IEnumerable<(string Key, int Count)> rows) =>
        new(rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)), StringComparer.Ordinal);
}
