using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Worker.Jobs;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>Writes this worker's breaker changes to <c>provider_circuits</c>, where the API and the dashboard see them.</summary>
internal sealed class CloudCircuitRecorder(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IOptions<JobsOptions> jobs,
    TimeProvider clock,
    ILogger<CloudCircuitRecorder> logger)
{
    private readonly string _node = JobEngineServices.NodeName(jobs.Value);

    public async ValueTask RecordAsync(CloudCallKey key, string state, TimeSpan? openFor, Exception? cause)
    {
        var now = clock.GetUtcNow();
        logger.CircuitChanged(key, state, _node, cause is null ? "" : $": {cause.Message}");
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var row = await db.ProviderCircuits.FindAsync(key.Backend, key.Region, _node);
            if (row is null)
            {
                row = new ProviderCircuit(key.Backend, key.Region, _node);
                db.ProviderCircuits.Add(row);
            }

            row.Record(state, now, openFor is { } span ? now + span : null, cause?.Message);
            await db.SaveChangesAsync();
        }
        catch (Exception error) when (error is DbUpdateException or Npgsql.NpgsqlException or TimeoutException)
        {
            // Reporting the breaker must never break the call it guards; the log line above already says it.
            logger.CircuitNotRecorded(error, key);
        }
    }
}
