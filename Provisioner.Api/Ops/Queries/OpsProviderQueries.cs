using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Api.Ops.Queries;

/// <summary>Instances that failed recently, by provider, region and reason: the cloud errors that reached an instance.</summary>
internal sealed record FailureCount(CloudProviderName Provider, string Region, string Reason, int Count);

internal sealed record ProvidersView(
    IReadOnlyList<ProviderCircuit> Circuits, IReadOnlyList<UnavailableOffering> Unavailable, IReadOnlyList<FailureCount> RecentFailures, DateTimeOffset Since);

/// <summary>
/// The Providers page's reads: the workers' circuits and the offerings placement skips, as stored. Call counts by error
/// class and rate-limit waits are each worker's in-process metrics (its /metrics), not stored: the page shows the
/// failures recorded on instances instead, and says so.
/// </summary>
internal sealed class OpsProviderQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

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
        return new ProvidersView(circuits, unavailable,
            [.. failures.Select(f => new FailureCount(f.Provider, f.Region, f.FailureReason ?? "", f.Count))], since);
    }
}
