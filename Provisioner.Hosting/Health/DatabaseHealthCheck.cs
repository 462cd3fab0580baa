using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioner.Core.Persistence;

namespace Provisioner.Hosting.Health;

/// <summary>Ready only when the database answers and its schema is the one this build expects.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<ProvisionerDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("database reachable, schema current")
                : HealthCheckResult.Unhealthy($"schema is behind: run the migrate step ({string.Join(", ", pending)} pending)");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable", error);
        }
    }
}
