using Hangfire;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Ops.Queries;

/// <summary>One hour of the last day: instances launched, terminated and failed in it.</summary>
internal sealed record HourActivity(DateTimeOffset Hour, int Launches, int Terminations, int Failures);

/// <summary>A worker process, from the job servers it registered (one per queue).</summary>
internal sealed record WorkerAlive(string Node, int Servers, DateTime? LastHeartbeat);

internal sealed record OverviewView(
    IReadOnlyList<(InstanceStatus Status, int Count)> ByState,
    IReadOnlyList<HourActivity> LastDay,
    decimal SpentToday,
    decimal SpentThisMonth,
    DateTimeOffset? CostsAsOf,
    IReadOnlyList<string> OpenCircuits,
    int FailedDeliveries,
    IReadOnlyList<WorkerAlive> Workers,
    long FailedJobs,
    decimal SpendRatePerHour,
    DateTimeOffset ReadAt);

/// <summary>The Overview's reads: small aggregates, each one query.</summary>
internal sealed class OpsOverviewQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, JobStorage jobs, TimeProvider clock)
{
    public async Task<OverviewView> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var firstHour = CostFold.HourOf(now).AddHours(-23);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var month = BudgetMonth.StartOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var byState = await db.Instances.AsNoTracking().GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

        // Launches: the cloud started the machine; terminations and failures: the lifecycle events that ended an instance.
        var launches = await db.Instances.AsNoTracking().Where(i => i.LaunchedAt >= firstHour).Select(i => i.LaunchedAt!.Value).ToListAsync(cancellationToken);
        var endings = await db.InstanceEvents.AsNoTracking()
            .Where(e => e.At >= firstHour && (e.ToStatus == InstanceStatus.Terminated || e.ToStatus == InstanceStatus.Failed))
            .Select(e => new { e.At, e.ToStatus }).ToListAsync(cancellationToken);
        var hours = Enumerable.Range(0, 24).Select(h => firstHour.AddHours(h)).Select(hour => new HourActivity(hour,
            launches.Count(t => CostFold.HourOf(t) == hour),
            endings.Count(e => e.ToStatus == InstanceStatus.Terminated && CostFold.HourOf(e.At) == hour),
            endings.Count(e => e.ToStatus == InstanceStatus.Failed && CostFold.HourOf(e.At) == hour))).ToList();

        var daily = db.CostBuckets.AsNoTracking().Where(b => b.Granularity == CostGranularity.Day);
        var spentToday = await daily.Where(b => b.BucketStart == today).SumAsync(b => b.Cost, cancellationToken);
        var spentMonth = await daily.Where(b => b.BucketStart >= month).SumAsync(b => b.Cost, cancellationToken);
        var asOf = await db.CostRollupRuns.AsNoTracking().MaxAsync(r => (DateTimeOffset?)r.FoldedUntil, cancellationToken);
        var openCircuits = await OpenCircuits.Of(db.ProviderCircuits.AsNoTracking(), now)
            .OrderBy(c => c.Backend).ThenBy(c => c.Region).ThenBy(c => c.Node)
            .Select(c => c.Backend + "/" + c.Region + "@" + c.Node + " " + c.State).ToListAsync(cancellationToken);

        // What the machines running now cost per hour (launched and not ended), as the spend-rate gauge counts it.
        var spendRate = await db.Instances.AsNoTracking()
            .Where(i => i.LaunchedAt != null && i.Status != InstanceStatus.Terminated && i.Status != InstanceStatus.Failed)
            .SumAsync(i => i.CostPerHour, cancellationToken);
        var failedDeliveries = await db.WebhookDeliveries.AsNoTracking().CountAsync(d => d.Status == WebhookDeliveryStatus.Failed, cancellationToken);

        return new OverviewView(
            [.. byState.OrderBy(s => s.Key).Select(s => (s.Key, s.Count))], hours, Money.Round(spentToday), Money.Round(spentMonth), asOf,
            openCircuits, failedDeliveries, Workers(), jobs.GetMonitoringApi().GetStatistics().Failed, Money.Round(spendRate), now);
    }

    /// <summary>
    /// Hangfire's servers that are still registered (a server missing its heartbeats is removed by the others), grouped
    /// by the node name each worker puts before the colon of its server names.
    /// </summary>
    private List<WorkerAlive> Workers() =>
        [.. jobs.GetMonitoringApi().Servers()
            .GroupBy(s => s.Name.Split(':')[0], StringComparer.Ordinal)
            .Select(g => new WorkerAlive(g.Key, g.Count(), g.Max(s => s.Heartbeat)))
            .OrderBy(w => w.Node, StringComparer.Ordinal)];
}
