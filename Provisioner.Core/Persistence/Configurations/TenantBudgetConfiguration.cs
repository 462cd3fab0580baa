using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Budgets;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class TenantBudgetConfiguration : IEntityTypeConfiguration<TenantBudget>
{
    public void Configure(EntityTypeBuilder<TenantBudget> builder)
    {
        builder.ToTable("tenant_budgets");
        builder.HasKey(b => b.Owner).HasName("pk_tenant_budgets");
        builder.Property(b => b.Owner).HasMaxLength(64);
        builder.Property(b => b.MonthlyLimit).HasPrecision(18, 6);
        builder.Property(b => b.PerInstanceCap).HasPrecision(18, 6);
    }
}
