using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Budgets;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class BudgetEventConfiguration : IEntityTypeConfiguration<BudgetEvent>
{
    public void Configure(EntityTypeBuilder<BudgetEvent> builder)
    {
        builder.ToTable("budget_events");
        builder.HasKey(e => e.Id).HasName("pk_budget_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Owner).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Spent).HasPrecision(18, 6);
        builder.Property(e => e.MonthlyLimit).HasPrecision(18, 6);
        builder.Property(e => e.Action).HasMaxLength(200).IsRequired();
        builder.HasIndex(e => new { e.Owner, e.Month }, "ix_budget_events_owner_month");
    }
}
