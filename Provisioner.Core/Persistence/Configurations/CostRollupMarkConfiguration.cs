using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Billing;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class CostRollupMarkConfiguration : IEntityTypeConfiguration<CostRollupMark>
{
    public void Configure(EntityTypeBuilder<CostRollupMark> builder)
    {
        builder.ToTable("cost_rollup_marks");
        builder.HasKey(m => m.InstanceId).HasName("pk_cost_rollup_marks");
        builder.Property(m => m.RolledCost).HasPrecision(18, 6);
        builder.HasOne<Instance>().WithOne().HasForeignKey<CostRollupMark>(m => m.InstanceId)
            .HasConstraintName("fk_cost_rollup_marks_instances").OnDelete(DeleteBehavior.Cascade);
    }
}
