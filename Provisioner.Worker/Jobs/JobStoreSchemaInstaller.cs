using Hangfire.PostgreSql;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>Installs or upgrades Hangfire's tables in their schema, as part of the migrate step and under its lock.</summary>
public sealed class JobStoreSchemaInstaller : ISchemaInstaller
{
    public Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        PostgreSqlObjectsInstaller.Install(connection, JobQueues.StoreSchema);
        return Task.CompletedTask;
    }
}
