using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Persistence;
using Provisioner.Core.Reconciliation;

namespace Provisioner.Hosting.Health;

/// <summary>
/// Degraded while a cloud's latest reconciliation run was partial or stopped early (orphans there are not reaped), or its
/// machine watch's latest pass could not read a region (outside stops and impaired machines there are not noticed), until
/// a run or pass reads every region again. Runs and passes older than <see cref="Recent"/> are ignored (a backend no longer
/// configured, a worker long gone).
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
        var blind = await db.MachineWatchStates.AsNoTracking()
            .Where(s => s.CheckedAt >= since && s.Error != null)
            .OrderBy(s => s.Backend)
            .ToListAsync(cancellationToken);
        if (failing.Count == 0 && blind.Count == 0)
        {
            return HealthCheckResult.Healthy("every cloud's latest reconciliation and machine watch read all of it");
        }

        var data = failing.ToDictionary(r => r.Backend, r => (object)r.Error!);
        foreach (var state in blind)
        {
            data[$"watch {state.Backend}"] = state.Error!;
        }

        var problems = failing.Select(r => $"reconciliation {r.Backend} {(r.Error!.StartsWith(PartialRuns.Prefix, StringComparison.Ordinal) ? "partial" : "failed")}")
            .Concat(blind.Select(s => $"machine watch {s.Backend} partial"));
        return HealthCheckResult.Degraded($"{string.Join(", ", problems)}; see the Reconciliation page", data: data);
    }
}
