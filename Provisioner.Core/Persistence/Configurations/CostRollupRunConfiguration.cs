using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Billing;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class CostRollupRunConfiguration : IEntityTypeConfiguration<CostRollupRun>
{
    public void Configure(EntityTypeBuilder<CostRollupRun> builder)
    {
        builder.ToTable("cost_rollup_runs");
        builder.HasKey(r => r.Id).HasName("pk_cost_rollup_runs");
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(r => r.StartedAt, "ix_cost_rollup_runs_started_at");
    }
}
