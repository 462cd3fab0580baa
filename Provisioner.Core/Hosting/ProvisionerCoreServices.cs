using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Catalog;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Placement;
using Provisioner.Core.Pools;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Retention;
using Provisioner.Core.Tenancy;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Provisioner.Core.Webhooks;
using Provisioner.Core.Telemetry;

namespace Provisioner.Core.Hosting;

/// <summary>What both the API and the workers register: database, catalog, cloud adapters, the work outbox, the steps.</summary>
public static class ProvisionerCoreServices
{
    public const string ConnectionStringName = "Provisioner";

    /// <param name="tuneConnections">
    /// A process's own settings for its pool of PostgreSQL connections, applied over the connection string (both
    /// processes prepare their statements and skip the reset of a returned connection: <c>StatelessConnections</c>).
    /// </param>
    public static IServiceCollection AddProvisionerCore(
        this IServiceCollection services, IConfiguration configuration, Action<NpgsqlConnectionStringBuilder>? tuneConnections = null)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // A settings failure like any other, so the process reports it as one (StartupFailure).
            throw new OptionsValidationException(ConnectionStringName, typeof(string),
                [$"ConnectionStrings:{ConnectionStringName} is required (environment: ConnectionStrings__{ConnectionStringName})"]);
        }

        // First of all hosted services, so settings are checked before any other is built from them.
        services.AddHostedService<SettingsCheck>();
        // Whole microseconds, as PostgreSQL keeps them: what the domain holds in memory is what it reads back.
        services.AddSingleton<TimeProvider>(new MicrosecondClock(TimeProvider.System));
        services.AddMetrics();
        services.AddSingleton<ProvisionerMetrics>();
        services.AddValidatedSettings<ProvisionerOptions>(configuration, ProvisionerOptions.Section);
        services.AddValidatedSettings<LifecycleOptions>(configuration, LifecycleOptions.Section);

        services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            tuneConnections?.Invoke(dataSource.ConnectionStringBuilder);
            return dataSource.Build();
        });
        // Pooled: a read's context is reset and reused instead of built (its services, change tracker and state
        // manager) per request. The context holds no state of its own beyond what a reset clears.
        services.AddPooledDbContextFactory<ProvisionerDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.MigrationsHistoryTable(
                ProvisionerDbContext.MigrationsHistoryTable, ProvisionerDbContext.Schema))
            // Migrations are written by hand, without a model snapshot, so EF cannot compare them with the
            // model; MigrationsMatchModelTests does that against a real database instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            // Found by namespace, not by loading every type (and with them the cloud SDKs): MigrationsNamespace.
            .ReplaceService<IMigrationsAssembly, MigrationsNamespace>());
        services.AddSingleton<DatabaseMigrator>();

        services.AddSingleton(_ => InstanceTypeCatalog.LoadEmbedded());
        services.AddSingleton(_ => BillingRules.LoadEmbedded());
        services.AddValidatedSettings<CostRollupOptions>(configuration, CostRollupOptions.Section);
        services.AddTransient<CostRollup>();
        services.AddValidatedSettings<RetentionOptions>(configuration, RetentionOptions.Section);
        services.AddTransient<InstanceRetention>();
        services.AddValidatedSettings<BudgetOptions>(configuration, BudgetOptions.Section);
        services.AddTransient<BudgetCommands>();
        services.AddTransient<BudgetWatch>();
        services.AddCloudProviders(configuration);
        services.AddValidatedSettings<ReconciliationOptions>(configuration, ReconciliationOptions.Section);
        services.AddValidatedSettings<PlacementOptions>(configuration, PlacementOptions.Section);
        services.AddSingleton<UnavailableOfferings>();
        services.AddSingleton<OfferRanker>();
        services.AddSingleton<LivePriceBook>();
        services.AddSingleton<Placer>();
        services.AddSingleton<LaunchAttemptLog>();

        services.AddWebhooks(configuration);
        services.AddSingleton<IInstanceWorkQueue, OutboxWorkQueue>();
        services.AddTransient<InstanceWorkRunner>();
        services.AddTransient<InstanceUpdater>();
        services.AddTransient<InstanceCommands>();
        services.AddMemoryCache();
        services.AddTransient<ApiKeyService>();
        services.AddInstanceSteps();
        services.AddTransient<OfferFailover>();
        services.AddTransient<LateCapacityFailover>();
        services.AddTransient<LifecycleSweeper>();
        services.AddTransient<CloudReconciler>();
        services.AddTransient<MachineWatch>();
        services.AddValidatedSettings<PoolsOptions>(configuration, PoolsOptions.Section);
        services.AddTransient<PoolCommands>();
        services.AddTransient<PoolRefill>();
        services.AddValidatedSettings<CatalogCheckOptions>(configuration, CatalogCheckOptions.Section);
        services.AddTransient<CatalogCheck>();
        services.AddSingleton<CatalogSpellings>();

        return services;
    }
}
