using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Api.Ops.Queries;

/// <summary>Instances that failed recently, by provider, region and reason: the cloud errors that reached an instance.</summary>
internal sealed record FailureCount(CloudProviderName Provider, string Region, string Reason, int Count);

internal sealed record ProvidersView(
    IReadOnlyList<ProviderCircuit> Circuits, IReadOnlyList<UnavailableOffering> Unavailable, IReadOnlyList<FailureCount> RecentFailures, DateTimeOffset Since,
    IReadOnlyList<ProviderCallSummary> Calls, DateTimeOffset CallsSince, IReadOnlyList<CatalogMismatch> Catalog);

/// <summary>
/// The Providers page's reads: the workers' circuits, the offerings placement skips, the calls the workers counted
/// (flushed to <c>provider_call_stats</c> every few seconds), the failures recorded on instances and the catalog's differences
/// from the clouds' own lists (the last catalog check's).
/// </summary>
internal sealed class OpsProviderQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

    /// <summary>Calls are shown for the last hour: recent enough to reflect an incident under way.</summary>
    public static readonly TimeSpan CallsWindow = TimeSpan.FromHours(1);

    public async Task<ProvidersView> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - RecentWindow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var circuits = await db.ProviderCircuits.AsNoTracking()
            .OrderBy(c => c.Backend).ThenBy(c => c.Region).ThenBy(c => c.Node).ToListAsync(cancellationToken);
        var unavailable = await db.UnavailableOfferings.AsNoTracking()
            .Where(u => u.Until > now).OrderBy(u => u.Provider).ThenBy(u => u.Region).ThenBy(u => u.InstanceType).ToListAsync(cancellationToken);
        var failures = await db.Instances.AsNoTracking()
            .Where(i => i.Status == InstanceStatus.Failed && i.StatusChangedAt >= since)
            .GroupBy(i => new { i.Provider, i.Region, i.FailureReason })
            .Select(g => new { g.Key.Provider, g.Key.Region, g.Key.FailureReason, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(50)
            .ToListAsync(cancellationToken);
        var catalog = await db.CatalogMismatches.AsNoTracking()
            .OrderBy(m => m.Provider).ThenBy(m => m.Kind).ThenBy(m => m.Region).ThenBy(m => m.InstanceType).Take(500).ToListAsync(cancellationToken);
        var callsSince = now - CallsWindow;
        var calls = await ReadCallsAsync(db, callsSince, cancellationToken);
        return new ProvidersView(circuits, unavailable,
            [.. failures.Select(f => new FailureCount(f.Provider, f.Region, f.FailureReason ?? "", f.Count))], since, calls, callsSince, catalog);
    }

    private static async Task<IReadOnlyList<ProviderCallSummary>> ReadCallsAsync(ProvisionerDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Summed in the database per provider, region and outcome (nodes and minutes folded), shaped here.
        var rows = await db.ProviderCallStats.AsNoTracking()
            .Where(s => s.BucketStart >= since)
            .GroupBy(s => new { s.Provider, s.Region, s.Outcome })
            .Select(g => new { g.Key.Provider, g.Key.Region, g.Key.Outcome, Calls = g.Sum(s => s.Calls), Waits = g.Sum(s => s.RateLimitWaits), WaitMs = g.Sum(s => s.RateLimitWaitMs) })
            .ToListAsync(cancellationToken);
        return [.. rows
            .GroupBy(r => (r.Provider, r.Region))
            .OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Region, StringComparer.Ordinal)
            .Select(g => new ProviderCallSummary(g.Key.Provider, g.Key.Region,
                [.. g.Where(r => r.Calls > 0)
                    .OrderByDescending(r => r.Outcome == ProviderCallStat.Ok).ThenByDescending(r => r.Calls).ThenBy(r => r.Outcome, StringComparer.Ordinal)
                    .Select(r => KeyValuePair.Create(r.Outcome, r.Calls))],
                g.Sum(r => r.Waits), TimeSpan.FromMilliseconds(g.Sum(r => r.WaitMs))))];
    }
}
