using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Instances;

/// <summary>
/// The NovitaAI shape's <c>estimatedReadyAt</c>: how long the offer (product and region) has recently taken from
/// request to <c>READY</c>, as the median of the last <see cref="Samples"/> instances that became ready within
/// <see cref="Window"/> (any tenant's: a boot time says nothing about whose machine it was). With none,
/// <see cref="RequestShapes.NovitaEstimatedBootTime"/>. A measured figure is reused for <see cref="CacheFor"/>, so a
/// burst of creates reads the records once; "none" is not kept, so the first measurement is used at once.
/// </summary>
public sealed class NovitaReadyEstimator(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public const int Samples = 20;
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Product, string Region), (TimeSpan BootTime, DateTimeOffset At)> _measured = new();

    public async Task<TimeSpan> BootTimeAsync(string product, string region, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_measured.TryGetValue((product, region), out var hit) && now - hit.At < CacheFor)
        {
            return hit.BootTime;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = now - Window;
        // ix_instances_provider keeps this to NovitaAI's rows.
        var recent = await db.Instances.AsNoTracking()
            .Where(i => i.Provider == CloudProviderName.Novita && i.InstanceType == product && i.Region == region
                && i.ReadyAt != null && i.ReadyAt >= since)
            .OrderByDescending(i => i.ReadyAt)
            .Take(Samples)
            .Select(i => new { i.CreatedAt, i.ReadyAt })
            .ToListAsync(cancellationToken);
        if (recent.Count == 0)
        {
            return RequestShapes.NovitaEstimatedBootTime;
        }

        var bootTime = Median(recent.Select(r => r.ReadyAt!.Value - r.CreatedAt));
        _measured[(product, region)] = (bootTime, now);
        return bootTime;
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
