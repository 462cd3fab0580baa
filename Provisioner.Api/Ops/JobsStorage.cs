using Hangfire;
using Hangfire.PostgreSql;
using Provisioner.Core.Hosting;

namespace Provisioner.Api.Ops;

/// <summary>
/// The job store the dashboard reads: Hangfire's tables in schema <c>hangfire</c> of the one database, which the
/// workers' Hangfire servers write. The API runs no Hangfire server. Kept in this one file because where the
/// schema is installed is still to change.
/// </summary>
internal static class JobsStorage
{
    public const string Schema = "hangfire";

    public static IServiceCollection AddJobsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // AddProvisionerCore has already refused to start without it.
        var connectionString = configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName)!;
        services.AddHangfire(c => c.UsePostgreSqlStorage(
            o => o.UseNpgsqlConnection(connectionString),
            new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = true }));
        return services;
    }
}
