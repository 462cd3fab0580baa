using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Instances;

/// <summary>Reads for the API. They read our records only: no request ever waits on a cloud.</summary>
public sealed class InstanceQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    // Compiled once: the most frequent read (clients poll it) skips the query's translation-cache lookup per call.
    private static readonly Func<ProvisionerDbContext, Guid, string, CancellationToken, Task<Instance?>> FindInstance =
        EF.CompileAsyncQuery((ProvisionerDbContext db, Guid id, string owner, CancellationToken _) =>
            db.Instances.AsNoTracking().FirstOrDefault(i => i.Id == id && i.Owner == owner));

    public async Task<Instance?> FindAsync(string owner, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindInstance(db, id, owner, cancellationToken);
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

    /// <summary>The instance's launch attempts, oldest first; null when the tenant has no such instance.</summary>
    public async Task<IReadOnlyList<LaunchAttempt>?> LaunchAttemptsAsync(string owner, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Instances.AnyAsync(i => i.Id == id && i.Owner == owner, cancellationToken))
        {
            return null;
        }

        return await db.LaunchAttempts.AsNoTracking().Where(a => a.InstanceId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Aggregates in the database, cost by each instance's billing rule as of now (live ones accrue, final ones are
    /// final), so a tenant with thousands of instances is never loaded row by row.
    /// </summary>
    public async Task<InstanceStatistics> StatisticsAsync(string owner, StatisticsQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = db.Instances.AsNoTracking().Where(i => i.Owner == owner);
        if (query.UserId is not null)
        {
            scope = scope.Where(i => i.UserId == query.UserId);
        }

        if (query.From is { } from)
        {
            scope = scope.Where(i => i.CreatedAt >= from);
        }

        if (query.To is { } to)
        {
            scope = scope.Where(i => i.CreatedAt < to);
        }

        var byGroup = await scope
            .GroupBy(i => new { i.Provider, i.InstanceType, i.Status })
            .Select(g => new { g.Key.Provider, g.Key.InstanceType, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var totals = await FiguresAsync(db, owner, query with { GroupBy = null }, cancellationToken);
        var total = totals.SingleOrDefault() ?? new FigureRow(string.Empty, 0, 0, 0m, 0, 0m, 0d);
        IReadOnlyList<StatisticsGroup>? groups = query.GroupBy is null
            ? null
            : [.. (await FiguresAsync(db, owner, query, cancellationToken)).Select(r => r.ToGroup())];
        var figures = total.ToGroup();
        return new InstanceStatistics(
            TotalProvisioned: byGroup.Sum(g => g.Count),
            CurrentlyRunning: figures.CurrentlyRunning,
            TotalCost: figures.TotalCost,
            AverageDuration: figures.AverageDuration,
            AverageCost: figures.AverageCost,
            ProviderBreakdown: Breakdown(byGroup.Select(g => (CreateInstanceRequestValidator.ProviderName(g.Provider), g.Count))),
            InstanceTypeBreakdown: Breakdown(byGroup.Select(g => (g.InstanceType, g.Count))),
            StatusBreakdown: Breakdown(byGroup.Select(g => (InstanceStatusNames.Of(g.Status), g.Count))),
            query.From,
            query.To,
            query.GroupBy is { } grouping ? JsonNamingPolicy.CamelCase.ConvertName(grouping.ToString()) : null,
            groups);
    }

    private async Task<List<FigureRow>> FiguresAsync(ProvisionerDbContext db, string owner, StatisticsQuery query, CancellationToken cancellationToken)
    {
        var key = query.GroupBy switch
        {
            StatisticsGrouping.Day => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            StatisticsGrouping.Provider => "provider",
            StatisticsGrouping.InstanceType => "instance_type",
            StatisticsGrouping.Region => "region",
            StatisticsGrouping.UserId => "user_id",
            _ => "''",
        };
        var parameters = new List<NpgsqlParameter> { new("owner", owner), new("now", clock.GetUtcNow()) };
        var where = "owner = @owner";
        if (query.UserId is not null)
        {
            where += " AND user_id = @user";
            parameters.Add(new("user", query.UserId));
        }

        if (query.From is { } from)
        {
            where += " AND created_at >= @from";
            parameters.Add(new("from", from));
        }

        if (query.To is { } to)
        {
            where += " AND created_at < @to";
            parameters.Add(new("to", to));
        }

        var cost = BillingSql.CostAt("@now");
        const string finished = "status IN ('TERMINATED', 'FAILED')";
        var sql = $"""
            SELECT {key} AS "Key",
                   count(*)::int AS "Total",
                   (count(*) FILTER (WHERE status IN ('READY', 'RUNNING')))::int AS "Running",
                   coalesce(sum({cost}), 0) AS "Cost",
                   (count(*) FILTER (WHERE {finished}))::int AS "Finished",
                   coalesce(sum({cost}) FILTER (WHERE {finished}), 0) AS "FinishedCost",
                   coalesce(sum(extract(epoch FROM (terminated_at - created_at))) FILTER (WHERE {finished}), 0)::float8 AS "FinishedSeconds"
              FROM provisioner.instances
             WHERE {where}
             GROUP BY 1
             ORDER BY 1
            """;
        return await db.Database.SqlQueryRaw<FigureRow>(sql, [.. parameters]).ToListAsync(cancellationToken);
    }

    private sealed record FigureRow(string Key, int Total, int Running, decimal Cost, int Finished, decimal FinishedCost, double FinishedSeconds)
    {
        public StatisticsGroup ToGroup() => new(
            Key, Total, Running, Money.Round(Cost),
            Finished == 0 ? 0 : Math.Round(FinishedSeconds / 3600.0 / Finished, 4),
            Finished == 0 ? 0 : Money.Round(FinishedCost / Finished));
    }

    private static SortedDictionary<string, int> Breakdown(IEnumerable<(string Key, int Count)> rows) =>
        new(rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)), StringComparer.Ordinal);
}
