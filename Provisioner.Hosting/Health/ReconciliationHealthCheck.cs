using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Persistence;
using Provisioner.Core.Reconciliation;

namespace Provisioner.Hosting.Health;

/// <summary>
/// Degraded while a cloud's latest reconciliation run (and so its machine watch, which reads the same listing) was partial
/// or stopped early: orphans there are not reaped and outside stops not noticed until a run reads every region again.
/// Runs older than <see cref="Recent"/> are ignored (a backend no longer configured, a worker long gone).
/// </summary>
internal sealed class ReconciliationHealthCheck(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan Recent = TimeSpan.FromMinutes(15);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = clock.GetUtcNow() - Recent;
        var latest = await db.ReconciliationRuns.AsNoTracking()
            .Where(r => r.StartedAt >= since)
            .GroupBy(r => r.Backend)
            .Select(g => g.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).First())
            .ToListAsync(cancellationToken);
        var failing = latest.Where(r => r.Error is not null).OrderBy(r => r.Backend, StringComparer.Ordinal).ToList();
        if (failing.Count == 0)
        {
            return HealthCheckResult.Healthy("every cloud's latest reconciliation read all of it");
        }

        var data = failing.ToDictionary(r => r.Backend, r => (object)r.Error!);
        return HealthCheckResult.Degraded(
            $"reconciliation {string.Join(", ", failing.Select(r => $"{r.Backend} {(r.Error!.StartsWith(PartialRuns.Prefix, StringComparison.Ordinal) ? "partial" : "failed")}"))}; see the Reconciliation page",
            data: data);
    }
}
