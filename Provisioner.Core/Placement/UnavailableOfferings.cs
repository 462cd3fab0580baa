using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Placement;

/// <summary>The shared memory of offerings refused for capacity: written by any worker, read by every process.</summary>
public sealed class UnavailableOfferings(IDbContextFactory<ProvisionerDbContext> dbFactory, IOptions<PlacementOptions> options, TimeProvider clock)
{
    /// <summary>Skips <paramref name="offering"/> for <see cref="PlacementOptions.UnavailableFor"/> from now; a second refusal extends it.</summary>
    public async Task MarkAsync(Offering offering, string reason, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + options.Value.UnavailableFor;
        var provider = offering.Provider.ToString().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One statement, so two workers refused at once both leave one row with the later deadline.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO provisioner.unavailable_offerings (provider, instance_type, region, spot, until, reason)
            VALUES ({provider}, {offering.InstanceType}, {offering.Region}, {offering.Spot}, {until}, {reason})
            ON CONFLICT (provider, instance_type, region, spot)
            DO UPDATE SET until = greatest(unavailable_offerings.until, excluded.until), reason = excluded.reason
            """, cancellationToken);
    }

    /// <summary>The offerings skipped now.</summary>
    public async Task<IReadOnlyList<UnavailableOffering>> ActiveAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UnavailableOfferings.AsNoTracking().Where(u => u.Until > now).ToListAsync(cancellationToken);
    }
}
