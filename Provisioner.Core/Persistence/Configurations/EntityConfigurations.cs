using Microsoft.EntityFrameworkCore;

namespace Provisioner.Core.Persistence.Configurations;

/// <summary>
/// Every entity's configuration, applied by name. Not <c>ApplyConfigurationsFromAssembly</c>: that enumerates every
/// type of Provisioner.Core to find them, which loads the cloud adapters' types and with them AWSSDK.EC2, AWSSDK.Core,
/// Azure.ResourceManager.Compute, Azure.ResourceManager, Azure.Core and System.ClientModel into every process, whether
/// or not it configures that cloud (docs/benchmarks.md, "Memory ... (issue 24, mem ...)"). EntityConfigurationsTests
/// fails when a configuration in the assembly is missing here.
/// </summary>
internal static class EntityConfigurations
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new ArchivedInstanceConfiguration());
        modelBuilder.ApplyConfiguration(new BudgetEventConfiguration());
        modelBuilder.ApplyConfiguration(new CatalogMismatchConfiguration());
        modelBuilder.ApplyConfiguration(new CloudApiBucketConfiguration());
        modelBuilder.ApplyConfiguration(new CostBucketConfiguration());
        modelBuilder.ApplyConfiguration(new CostRollupMarkConfiguration());
        modelBuilder.ApplyConfiguration(new CostRollupRunConfiguration());
        modelBuilder.ApplyConfiguration(new IdempotencyKeyConfiguration());
        modelBuilder.ApplyConfiguration(new InstanceConfiguration());
        modelBuilder.ApplyConfiguration(new InstanceEventConfiguration());
        modelBuilder.ApplyConfiguration(new LaunchAttemptConfiguration());
        modelBuilder.ApplyConfiguration(new MachineWatchStateConfiguration());
        modelBuilder.ApplyConfiguration(new OpsAuditEntryConfiguration());
        modelBuilder.ApplyConfiguration(new PendingWorkConfiguration());
        modelBuilder.ApplyConfiguration(new PoolMachineConfiguration());
        modelBuilder.ApplyConfiguration(new PoolRequestConfiguration());
        modelBuilder.ApplyConfiguration(new ProviderCallStatConfiguration());
        modelBuilder.ApplyConfiguration(new ProviderCircuitConfiguration());
        modelBuilder.ApplyConfiguration(new ReconciliationRunConfiguration());
        modelBuilder.ApplyConfiguration(new RetentionRunConfiguration());
        modelBuilder.ApplyConfiguration(new TenantBudgetConfiguration());
        modelBuilder.ApplyConfiguration(new TenantWebhookConfiguration());
        modelBuilder.ApplyConfiguration(new UnavailableOfferingConfiguration());
        modelBuilder.ApplyConfiguration(new WarmPoolConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
    }
}
