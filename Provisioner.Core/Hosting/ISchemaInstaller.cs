using Npgsql;

namespace Provisioner.Core.Hosting;

/// <summary>
/// A schema that is not ours but lives in our database (the job store's), installed by the migrate step
/// under its lock. Hosts that bring such a component register its installer; Core knows none of them.
/// </summary>
public interface ISchemaInstaller
{
    /// <summary>Creates or upgrades the schema; must be safe to run on a current one.</summary>
    Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
