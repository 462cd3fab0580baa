using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Persistence;

namespace Provisioner.Hosting.Health;

/// <summary>
/// Degraded, never failing, while the last catalog check found entries a cloud does not know or types it sells that the
/// catalog lacks: requests are still served, but some launches will fail and some offers are missed. One data key per
/// mismatch (<c>PROVIDER/region/type</c>), up to <see cref="MaxKeys"/>. Spelling differences that launches resolve do
/// not degrade.
/// </summary>
internal sealed class CatalogHealthCheck(IDbContextFactory<ProvisionerDbContext> dbFactory) : IHealthCheck
{
    public const int MaxKeys = 100;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var degrading = db.CatalogMismatches.AsNoTracking().Where(m => CatalogMismatchKind.Degrading.Contains(m.Kind));
        var count = await degrading.CountAsync(cancellationToken);
        if (count == 0)
        {
            return HealthCheckResult.Healthy("the catalog matches every checked cloud's list");
        }

        var shown = await degrading.OrderBy(m => m.Provider).ThenBy(m => m.Region).ThenBy(m => m.InstanceType)
            .Take(MaxKeys).ToListAsync(cancellationToken);
        var data = new Dictionary<string, object>();
        foreach (var m in shown)
        {
            data.TryAdd($"{m.Provider.ToString().ToUpperInvariant()}/{m.Region}/{m.InstanceType}", $"{m.Kind} since {m.FirstSeenAt:O}");
        }

        return HealthCheckResult.Degraded(
            $"{count} catalog mismatches with the clouds' lists{(count > shown.Count ? $" ({shown.Count} listed)" : "")}", data: data);
    }
}
