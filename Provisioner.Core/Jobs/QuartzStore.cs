using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The one description of the job store, shared by the API (which schedules, never starts), the workers
/// (which run jobs) and the migrate step (which creates the schema). All must agree or they are not one cluster.
/// </summary>
public static class QuartzStore
{
    /// <summary>Quartz's tables live in their own schema, created by our first migration.</summary>
    public const string Schema = "quartz";

    /// <summary>Schema-qualified, so the tables resolve on any connection, including one our code enlists.</summary>
    public const string TablePrefix = Schema + ".qrtz_";

    /// <summary>Every node with this scheduler name and store is one cluster.</summary>
    public const string SchedulerName = "provisioner";

    public static void Configure(IQuartzBuilder quartz, string connectionString, JobsOptions options, bool provisionSchema)
    {
        quartz.ConfigureScheduler(s =>
        {
            s.InstanceName = SchedulerName;
            if (options.NodeName is { } node)
            {
                s.InstanceId = node;
                s.GenerateInstanceId = false;
            }
            s.IdleWaitTime = options.IdleWaitTime;
        });
        quartz.UseDefaultThreadPool(options.MaxConcurrency);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseClustering(c =>
            {
                c.CheckinInterval = options.CheckinInterval;
                c.CheckinMisfireThreshold = options.CheckinMisfireThreshold;
            });
            store.ConfigureStore(o =>
            {
                o.TablePrefix = TablePrefix;
                o.AcceptEnlistedTransactions = true;
                o.SchemaProvisioning = provisionSchema ? SchemaProvisioning.CreateIfMissing : SchemaProvisioning.Validate;
            });
        });
    }
}
