using Hangfire;
using Hangfire.PostgreSql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Jobs;

namespace Provisioner.Api.Ops;

/// <summary>
/// The job store the dashboard reads: Hangfire's tables in schema <c>hangfire</c> of the one database, which the
/// workers' Hangfire servers write. The API runs no Hangfire server and installs no schema: the workers' migrate
/// step does, under its lock. Serialisation settings match the workers' so the dashboard reads their jobs.
/// </summary>
internal static class JobsStorage
{
    public const string Schema = JobQueues.StoreSchema;

    public static IServiceCollection AddJobsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // AddProvisionerCore has already refused to start without it.
        var connectionString = configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName)!;
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseJobInstanceLink()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = false }));
        return services;
    }
}
