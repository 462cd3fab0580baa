using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Billing;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class CostBucketConfiguration : IEntityTypeConfiguration<CostBucket>
{
    public void Configure(EntityTypeBuilder<CostBucket> builder)
    {
        builder.ToTable("cost_rollups");
        builder.HasKey(b => new { b.Granularity, b.BucketStart, b.Owner, b.UserId, b.Provider, b.InstanceType, b.Region }).HasName("pk_cost_rollups");
        builder.Property(b => b.Granularity).AsUpperCaseText(8);
        builder.Property(b => b.Owner).HasMaxLength(64);
        builder.Property(b => b.UserId).HasMaxLength(128);
        builder.Property(b => b.Provider).AsUpperCaseText();
        builder.Property(b => b.InstanceType).HasMaxLength(64);
        builder.Property(b => b.Region).HasMaxLength(64);
        builder.Property(b => b.Cost).HasPrecision(18, 6);
        // Reports read one tenant's buckets of one size over a period.
        builder.HasIndex(b => new { b.Owner, b.Granularity, b.BucketStart }, "ix_cost_rollups_owner");
    }
}
