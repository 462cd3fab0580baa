using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Jobs;
using Provisioner.Core.Webhooks;
using Provisioner.Hosting.Connections;
using Provisioner.Hosting.JobStore;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The job engine in a worker: Hangfire on PostgreSQL, one server per queue so lifecycle steps never wait
/// behind maintenance or webhook deliveries, the outbox relays, the recurring jobs, and no engine-level retries (the steps own the
/// one retry policy).
/// </summary>
internal static class JobEngineServices
{
    /// <summary>
    /// Connections each job server needs beyond one per worker thread: its heartbeat, watchdog, cancellation
    /// watcher, expiration manager, counters aggregator, delayed and recurring schedulers, and the keep-alives of
    /// running jobs. Measured: a pool of one per thread plus 8 in all ran dry and hung the health check. During a state
    /// change a job thread holds two for a moment (its lock's session, <c>SessionAdvisoryLocks</c>, and the call's), which
    /// this overhead also covers.
    /// </summary>
    private const int JobStoreOverheadPerServer = 10;

    /// <summary>The job store's own pool: sized for the job threads and the servers' processes, named for the node.</summary>
    internal static NpgsqlConnectionStringBuilder JobStoreConnection(IConfiguration configuration, JobsOptions options, string node)
    {
        var jobStorePool = options.WorkerCount + options.MaintenanceWorkerCount + options.WebhookWorkerCount + (3 * JobStoreOverheadPerServer);
        var connections = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName))
        {
            MaxPoolSize = jobStorePool,
            ApplicationName = $"provisioner-jobs:{node}",
            // The store opens a pooled connection for nearly every call (about 30 per lifecycle), and by default each
            // reuse starts with DISCARD ALL. The store leaves no session state behind (its transactions end with their
            // calls; its locks' session releases them all before it goes back, SessionAdvisoryLocks) except
            // Hangfire.PostgreSql's long polling, whose LISTEN must not outlive the connection's turn.
            NoResetOnClose = !options.LongPolling,
        };

        // Hangfire.PostgreSql sends the same few dozen statements for every job: prepared, PostgreSQL plans each once per
        // connection, and without the reset above the prepared statements last.
        PreparedStatements.PrepareUnlessSet(connections);
        return connections;
    }

    public static string NodeName(JobsOptions options) => options.NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    public static IServiceCollection AddProvisionerJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(JobsOptions.Section);
        services.AddValidatedSettings<JobsOptions>(configuration, JobsOptions.Section);
        services.AddSingleton<RecurringScheduleValidator>();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Provisioner.Core.Lifecycle.LifecycleOptions>>(sp => sp.GetRequiredService<RecurringScheduleValidator>());
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Provisioner.Core.Billing.CostRollupOptions>>(sp => sp.GetRequiredService<RecurringScheduleValidator>());
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Provisioner.Core.Catalog.Check.CatalogCheckOptions>>(sp => sp.GetRequiredService<RecurringScheduleValidator>());
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Provisioner.Core.Retention.RetentionOptions>>(sp => sp.GetRequiredService<RecurringScheduleValidator>());
        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        var node = NodeName(options);
        var shutdown = configuration.GetValue("Worker:ShutdownTimeout", TimeSpan.FromSeconds(30));

        var jobStoreConnection = JobStoreConnection(configuration, options, node);
        var sessionConnections = SessionConnections.Settings(configuration, options, node);
        services.AddSingleton(_ => new SessionConnections(NpgsqlDataSource.Create(sessionConnections)));

        // Hangfire's default filters retry a failed job 10 times; our steps already decide retry, deferral or
        // failure, so a second, hidden layer would multiply cloud calls. A job that throws (a bug, the database
        // gone) ends Failed, visible on the dashboard, and the relay hands its item off again later.
        GlobalJobFilters.Filters.Remove<AutomaticRetryAttribute>();
        RemoveUnusedJobFilters();
        var wakeUp = new JobWakeUp();
        if (options.WakeUp)
        {
            services.AddSingleton(wakeUp);
            services.AddHostedService<JobWakeUpListener>();
        }

        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            // Enums by name in stored arguments (an InstanceJob's kind), as the outbox stores them: readable in the
            // store, and safe across a reordering of the enum. Default values written too: the recommended settings
            // leave them out, which would store a launch (the first kind) with no kind at all.
            .UseRecommendedSerializerSettings(settings =>
            {
                settings.Converters.Add(new StringEnumConverter());
                settings.DefaultValueHandling = DefaultValueHandling.Include;
            })
            .UseStorage(Storage(jobStoreConnection.ConnectionString, options, sp.GetRequiredService<ILoggerFactory>()))
            .WithWakeUp(options.WakeUp ? wakeUp : null));

        services.AddSingleton<ISchemaInstaller, JobStoreSchemaInstaller>();
        services.AddHostedService(sp => new ConnectionBudget(
            sp.GetRequiredService<NpgsqlDataSource>(), jobStoreConnection.MaxPoolSize, sessionConnections.MaxPoolSize, options.ReservedConnections, sp.GetRequiredService<ILogger<ConnectionBudget>>()));
        services.AddScoped<IInstanceJobs, InstanceJobs>();
        services.AddScoped<IMaintenanceJobs, MaintenanceJobs>();
        services.AddHostedService<RecurringJobsRegistration>();
        services.AddHostedService<FrequentPasses>();
        services.AddHostedService<JobTakeover>();
        services.AddScoped<IWebhookJobs, WebhookJobs>();
        services.AddWebhookDelivery();
        // One relay per outbox, all of one type. Registered as plain singletons: AddHostedService keeps only the
        // first registration of a given implementation type, which would silently drop the second outbox's relay.
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<OutboxRelay>(sp, new InstanceWorkOutbox()));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<OutboxRelay>(sp, new WebhookDeliveryOutbox()));
        // The schedulers and the store's clean-up run in the maintenance server alone (the queue the recurring jobs
        // run on); the other two are lightweight: job threads, heartbeat and watchdog only (see Configure).
        services.AddHangfireServer(o => Configure(o, $"{node}:lifecycle", JobQueues.Lifecycle, options.WorkerCount, options, shutdown, lightweight: true));
        services.AddHangfireServer(o => Configure(o, $"{node}:maintenance", JobQueues.Maintenance, options.MaintenanceWorkerCount, options, shutdown, lightweight: false));
        services.AddHangfireServer(o => Configure(o, $"{node}:webhooks", JobQueues.Webhooks, options.WebhookWorkerCount, options, shutdown, lightweight: true));
        return services;
    }

    /// <summary>
    /// Hangfire's other default filters cost statements on every job and serve nothing here (measured with
    /// bench/jobs/cost.sh: 6 of the ~45 statements of each job). The culture filter stores the culture as a job parameter
    /// and reads it back (the jobs format nothing by culture, and relay and job run in the same kind of process); the
    /// continuations filter reads a parameter at every final state (nothing enqueues a continuation); the statistics
    /// history writes two expiring counters per succeeded or failed job, for the dashboard's daily and hourly graphs
    /// only (its totals, kept by the states themselves, stay).
    /// </summary>
    private static void RemoveUnusedJobFilters()
    {
        GlobalJobFilters.Filters.Remove<CaptureCultureAttribute>();
        GlobalJobFilters.Filters.Remove<ContinuationsSupportAttribute>();
        GlobalJobFilters.Filters.Remove<StatisticsHistoryAttribute>();
    }

    /// <summary>
    /// Hangfire.PostgreSql's store with its distributed locks as PostgreSQL session advisory locks
    /// (<see cref="AdvisoryLockJobStorage"/>): two per job, each one round trip to take and one to release instead of six
    /// statements in several transactions, and a killed worker's locks freed the moment its connection drops.
    /// </summary>
    internal static AdvisoryLockJobStorage Storage(string connectionString, JobsOptions options, ILoggerFactory logs)
    {
        var storageOptions = StorageOptions(options);
        return new AdvisoryLockJobStorage(
            new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions, logs.CreateLogger<AdvisoryLockJobStorage>());
    }

    private static IGlobalConfiguration<PostgreSqlStorage> WithWakeUp(this IGlobalConfiguration<PostgreSqlStorage> configuration, JobWakeUp? wakeUp)
    {
        if (wakeUp is not null)
        {
            UseWakeUp(configuration.Entry, wakeUp);
        }

        return configuration;
    }

    /// <summary>Every queue of <paramref name="storage"/> dequeues and enqueues through <see cref="WakingJobQueueProvider"/>.</summary>
    internal static void UseWakeUp(PostgreSqlStorage storage, JobWakeUp wakeUp) =>
        storage.QueueProviders.Add(
            new WakingJobQueueProvider(storage.QueueProviders.GetProvider(JobQueues.Lifecycle), wakeUp),
            [JobQueues.Lifecycle, JobQueues.Maintenance, JobQueues.Webhooks]);

    public static PostgreSqlStorageOptions StorageOptions(JobsOptions options) => new()
    {
        SchemaName = JobQueues.StoreSchema,
        // The migrate step installs the schema, once, under its lock.
        PrepareSchemaIfNecessary = false,
        EnableLongPolling = options.LongPolling,
        QueuePollInterval = options.QueuePollInterval,
        // A fetched job stays hidden only while its worker keeps it alive, so a killed worker's job comes back
        // after InvisibilityTimeout instead of after a long fixed timeout.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = options.InvisibilityTimeout,
        DistributedLockTimeout = options.DistributedLockTimeout,
    };

    /// <summary>
    /// One job server. Its heartbeat says only that the server lives (the dashboard, the ops overview and the worker's
    /// readiness read the list of servers): a killed worker's jobs come back by <see cref="JobsOptions.InvisibilityTimeout"/>
    /// (the store's fetch, and <see cref="JobTakeover"/>), never by the server's removal, which deletes its row and
    /// nothing else. So heartbeats every 30 s and a dead server removed after two minutes (Hangfire's defaults are
    /// 30 s and 5 minutes): measured idle, 5 s heartbeats and 10 s server checks of six servers were 108 of the
    /// stack's PostgreSQL transactions per minute; now 18.
    /// </summary>
    /// <param name="lightweight">
    /// Without the delayed and recurring schedulers and the store's expiration and counter aggregation: one set per
    /// worker is enough (each pass takes the same store-wide lock), and each scheduler polls every
    /// <see cref="JobsOptions.SchedulePollingInterval"/> under a lock in the store, 72 of the idle stack's 86 store
    /// locks a minute when all three servers of both workers ran them.
    /// </param>
    private static void Configure(
        BackgroundJobServerOptions server, string name, string queue, int workers, JobsOptions options, TimeSpan shutdown, bool lightweight)
    {
        server.ServerName = name;
        server.Queues = [queue];
        server.WorkerCount = workers;
        server.IsLightweightServer = lightweight;
        server.SchedulePollingInterval = options.SchedulePollingInterval;
        server.ShutdownTimeout = shutdown;
        server.HeartbeatInterval = ServerHeartbeatInterval;
        server.ServerCheckInterval = TimeSpan.FromMinutes(1);
        server.ServerTimeout = TimeSpan.FromMinutes(2);
    }

    /// <summary>How often each job server tells the store it lives (see <see cref="Configure"/>).</summary>
    internal static readonly TimeSpan ServerHeartbeatInterval = TimeSpan.FromSeconds(30);
}
