using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Hosting;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;

namespace Provisioner.Hosting.Health;

/// <summary>
/// Degraded while any worker's breaker for a provider is open: requests are still accepted and wait for the
/// circuit to close. Open rows long past their trial time are ignored (their worker has gone).
/// </summary>
internal sealed class ProviderCircuitsHealthCheck(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await OpenCircuits.Of(db.ProviderCircuits.AsNoTracking(), clock.GetUtcNow())
            .OrderBy(c => c.Backend).ThenBy(c => c.Region).ThenBy(c => c.Node)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return HealthCheckResult.Healthy("every provider circuit is closed");
        }

        var data = open.ToDictionary(
            c => $"{c.Backend}/{c.Region}@{c.Node}",
            c => (object)$"{c.State} until {c.OpenUntil:O}: {c.LastError}");
        return HealthCheckResult.Degraded(
            $"open circuits: {string.Join(", ", open.Select(c => $"{c.Backend}/{c.Region}"))}; requests for them wait", data: data);
    }
}
