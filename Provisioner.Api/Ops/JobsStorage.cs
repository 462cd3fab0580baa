using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Provisioner.Core.Hosting;
using Provisioner.Core.Jobs;
using Provisioner.Hosting.JobStore;

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
            .UseStorage(Storage(connectionString)));
        return services;
    }

    /// <summary>
    /// The workers' kind of store, so the dashboard's requeue and delete take a job's state lock as the workers do (a
    /// session advisory lock: <see cref="AdvisoryLockJobStorage"/>); a lock waited for longer than the workers' default
    /// <c>Jobs:DistributedLockTimeout</c> fails the dashboard's action instead of holding its request.
    /// </summary>
    private static AdvisoryLockJobStorage Storage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = false, DistributedLockTimeout = TimeSpan.FromSeconds(5) };
        return new AdvisoryLockJobStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
