using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Placement;

/// <summary>
/// The shared memory of offerings refused for capacity and their exponential backoff: written by any worker, read by
/// every process (Karpenter's launch-budget idea, kubernetes-sigs/karpenter PR 3275, across a fleet).
/// </summary>
public sealed class UnavailableOfferings(IDbContextFactory<ProvisionerDbContext> dbFactory, IOptions<PlacementOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Records a capacity refusal of <paramref name="offering"/>. Met after its backoff ran out (or on a fresh offering),
    /// it starts the next, doubled backoff; met while a backoff runs (another worker's launch raced this one), it keeps
    /// the current one, so a burst of refusals at once counts as one.
    /// </summary>
    public async Task MarkAsync(Offering offering, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var initial = options.Value.BackoffInitial.TotalSeconds;
        var max = options.Value.BackoffMax.TotalSeconds;
        var provider = offering.Provider.ToString().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One statement, so two workers refused at once leave one row and one step of backoff. The exponent is capped
        // so power() stays finite long before least() caps the wait.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO provisioner.unavailable_offerings (provider, instance_type, region, spot, until, reason, refusals)
            VALUES ({provider}, {offering.InstanceType}, {offering.Region}, {offering.Spot},
                    {now} + make_interval(secs => least({initial}::double precision, {max}::double precision)), {reason}, 1)
            ON CONFLICT (provider, instance_type, region, spot)
            DO UPDATE SET
                refusals = CASE WHEN unavailable_offerings.until <= {now} THEN unavailable_offerings.refusals + 1 ELSE unavailable_offerings.refusals END,
                until = CASE WHEN unavailable_offerings.until <= {now}
                    THEN {now} + make_interval(secs => least({initial}::double precision * power(2, least(unavailable_offerings.refusals, 30)), {max}::double precision))
                    ELSE unavailable_offerings.until END,
                reason = excluded.reason
            """, cancellationToken);
    }

    /// <summary>The cloud accepted a launch on <paramref name="offering"/>: its backoff, if any, ends and the count starts again.</summary>
    public async Task ResetAsync(Offering offering, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UnavailableOfferings
            .Where(u => u.Provider == offering.Provider && u.InstanceType == offering.InstanceType && u.Region == offering.Region && u.Spot == offering.Spot)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The offerings skipped now.</summary>
    public async Task<IReadOnlyList<UnavailableOffering>> ActiveAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UnavailableOfferings.AsNoTracking().Where(u => u.Until > now).ToListAsync(cancellationToken);
    }

    /// <summary>Every offering with a refusal on record, in backoff or not (it is tried again, and doubles on a new refusal, once past).</summary>
    public async Task<IReadOnlyList<UnavailableOffering>> AllAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UnavailableOfferings.AsNoTracking().ToListAsync(cancellationToken);
    }
}
