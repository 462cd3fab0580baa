using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers.Simulated;
using Quartz;

namespace Provisioner.Core.Persistence;

/// <summary>
/// The explicit migrate step: our schema (EF migrations), the simulated cloud's table, the Quartz job
/// store's tables and its durable job definitions. It holds a PostgreSQL advisory lock throughout, so any
/// number of processes may run it at once: one migrates, the others wait and then find nothing to do.
/// </summary>
public sealed class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IOptions<JobsOptions> jobs,
    ILogger<DatabaseMigrator> logger)
{
    // An arbitrary constant that no other application on the database uses for an advisory lock.
    private const long MigrationLockKey = 0x50_52_4F_56_4D_49_47;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database schema is current ({Migrations} migrations)", db.Database.GetMigrations().Count());
            }

            await SimulatedCloudSchema.EnsureAsync(lockConnection, cancellationToken);
            await ProvisionJobStoreAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task ProvisionJobStoreAsync(CancellationToken cancellationToken)
    {
        // A scheduler that is built and never started: building it creates the store's missing tables.
        await using var factory = QuartzSchedulerBuilder.Create(q =>
                QuartzStore.Configure(q, dataSource.ConnectionString, jobs.Value, provisionSchema: true))
            .Build();
        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var job in InstanceJobs.Definitions())
        {
            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken);
        }

        logger.LogInformation("Job store is current ({Jobs} job definitions)", InstanceJobs.Definitions().Count);
    }
}
