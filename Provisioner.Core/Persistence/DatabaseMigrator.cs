using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers.Simulated;

namespace Provisioner.Core.Persistence;

/// <summary>
/// The explicit migrate step: our schema (EF migrations), the simulated cloud's table, and the schemas of
/// components the host brings (the job store's). It holds a PostgreSQL advisory lock throughout, so any
/// number of processes may run it at once: one migrates, the others wait and then find nothing to do.
/// </summary>
public sealed class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IEnumerable<ISchemaInstaller> installers,
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
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.SchemaCurrent(db.Database.GetMigrations().Count());
                }
            }

            await SimulatedCloudSchema.EnsureAsync(lockConnection, cancellationToken);
            foreach (var installer in installers)
            {
                await installer.InstallAsync(lockConnection, cancellationToken);
            }
        }
        finally
        {
            // A connection that broke took its session lock with it; releasing on it would throw "Connection is not
            // open" and hide the error that broke it, which is the one the operator needs to read.
            if (lockConnection.FullState == ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }
}
