using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Tenancy;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Quartz;

namespace Provisioner.Core.Hosting;

/// <summary>What both the API and the workers register: database, catalog, cloud adapters, the job store.</summary>
public static class ProvisionerCoreServices
{
    public const string ConnectionStringName = "Provisioner";

    /// <param name="runsJobs">True in a worker, which runs the scheduler; false in the API, which only schedules.</param>
    public static IServiceCollection AddProvisionerCore(this IServiceCollection services, IConfiguration configuration, bool runsJobs)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string 'ConnectionStrings:{ConnectionStringName}' is not set (environment: ConnectionStrings__{ConnectionStringName}).");
        }

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ProvisionerOptions>().Bind(configuration.GetSection(ProvisionerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LifecycleOptions>().Bind(configuration.GetSection(LifecycleOptions.Section));

        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContextFactory<ProvisionerDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.MigrationsHistoryTable(
                ProvisionerDbContext.MigrationsHistoryTable, ProvisionerDbContext.Schema))
            // Migrations are written by hand, without a model snapshot, so EF cannot compare them with the
            // model; MigrationsMatchModelTests does that against a real database instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        services.AddSingleton<DatabaseMigrator>();

        services.AddSingleton(_ => InstanceTypeCatalog.LoadEmbedded());
        services.AddCloudProviders(configuration);
        services.AddOptions<ReconciliationOptions>().Bind(configuration.GetSection(ReconciliationOptions.Section)).ValidateDataAnnotations();

        services.AddSingleton<IInstanceWorkQueue, QuartzInstanceWorkQueue>();
        services.AddTransient<InstanceUpdater>();
        services.AddTransient<InstanceCommands>();
        services.AddMemoryCache();
        services.AddTransient<ApiKeyService>();
        services.AddTransient<LaunchInstance>();
        services.AddTransient<AwaitInstanceReady>();
        services.AddTransient<TerminateInstance>();
        services.AddTransient<CheckInstanceIdle>();
        services.AddTransient<LifecycleSweeper>();
        services.AddTransient<CloudReconciler>();

        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var lifecycle = configuration.GetSection(LifecycleOptions.Section).Get<LifecycleOptions>() ?? new LifecycleOptions();
        services.AddQuartz(q =>
        {
            QuartzStore.Configure(q, connectionString, jobs, provisionSchema: false);
            if (runsJobs)
            {
                foreach (var definition in InstanceJobs.Definitions())
                {
                    q.AddJob(definition.JobType.Type, j => j.WithIdentity(definition.Key).StoreDurably().RequestRecovery().WithDescription(definition.Description!));
                }

                AddRecurring<LifecycleSweepJob>(q, LifecycleSweepJob.Key, lifecycle.SweepInterval, "Deadlines missed, stuck states, work that lost its job.");
                AddRecurring<ReconcileCloudsJob>(q, ReconcileCloudsJob.Key, lifecycle.ReconcileInterval, "Compares each cloud with our records.");
            }
        });
        if (runsJobs)
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        return services;
    }

    private static void AddRecurring<TJob>(IQuartzBuilder quartz, JobKey key, TimeSpan interval, string description)
        where TJob : IJob
    {
        quartz.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().WithDescription(description));
        quartz.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(key.Name, key.Group)
            .StartNow()
            // A run missed while every worker was down is not made up: the next one does the same work.
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }
}
