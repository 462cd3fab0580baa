using Microsoft.EntityFrameworkCore;
using Provisioner.Core.ApiBudgets;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Operations;
using Provisioner.Core.Persistence.Configurations;
using Provisioner.Core.Placement;
using Provisioner.Core.Pools;
using Provisioner.Core.Providers;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Retention;
using Provisioner.Core.Tenancy;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Persistence;

/// <summary>Our records: instances and their lifecycle events, in schema <c>provisioner</c>.</summary>
public sealed class ProvisionerDbContext : DbContext
{
    public const string Schema = "provisioner";
    public const string MigrationsHistoryTable = "ef_migrations_history";

    public ProvisionerDbContext(DbContextOptions<ProvisionerDbContext> options)
        : base(options)
    {
        // EF wraps a save inside a transaction of ours in SAVEPOINT / RELEASE (two more round trips each) so that a
        // failed save could be rolled back alone and the transaction carried on; nothing here carries on after a
        // failed save (the whole transaction is abandoned, and an update retries on a new one). Measured with
        // bench/jobs/cost.sh: ten statements per lifecycle. Set here, a pooled context gets it back on every reuse.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Instance> Instances => Set<Instance>();
    public DbSet<InstanceEvent> InstanceEvents => Set<InstanceEvent>();
    public DbSet<LaunchAttempt> LaunchAttempts => Set<LaunchAttempt>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<ReconciliationRun> ReconciliationRuns => Set<ReconciliationRun>();
    public DbSet<MachineWatchState> MachineWatchStates => Set<MachineWatchState>();
    public DbSet<ProviderCircuit> ProviderCircuits => Set<ProviderCircuit>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<PendingWork> PendingWork => Set<PendingWork>();
    public DbSet<TenantWebhook> TenantWebhooks => Set<TenantWebhook>();
    public DbSet<CostBucket> CostBuckets => Set<CostBucket>();
    public DbSet<TenantBudget> TenantBudgets => Set<TenantBudget>();
    public DbSet<BudgetEvent> BudgetEvents => Set<BudgetEvent>();
    public DbSet<CostRollupRun> CostRollupRuns => Set<CostRollupRun>();
    public DbSet<RetentionRun> RetentionRuns => Set<RetentionRun>();
    public DbSet<ArchivedInstance> ArchivedInstances => Set<ArchivedInstance>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<UnavailableOffering> UnavailableOfferings => Set<UnavailableOffering>();
    public DbSet<OpsAuditEntry> OpsAudit => Set<OpsAuditEntry>();
    public DbSet<ProviderCallStat> ProviderCallStats => Set<ProviderCallStat>();
    public DbSet<CloudApiBucket> CloudApiBuckets => Set<CloudApiBucket>();
    public DbSet<CatalogMismatch> CatalogMismatches => Set<CatalogMismatch>();
    public DbSet<WarmPool> Pools => Set<WarmPool>();
    public DbSet<PoolMachine> PoolMachines => Set<PoolMachine>();
    public DbSet<PoolRequest> PoolRequests => Set<PoolRequest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        EntityConfigurations.Apply(modelBuilder);
        SnakeCaseColumns.Apply(modelBuilder);
    }
}
