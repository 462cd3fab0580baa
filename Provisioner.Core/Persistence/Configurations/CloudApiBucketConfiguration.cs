using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.ApiBudgets;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class CloudApiBucketConfiguration : IEntityTypeConfiguration<CloudApiBucket>
{
    public void Configure(EntityTypeBuilder<CloudApiBucket> builder)
    {
        builder.ToTable("cloud_api_budgets");
        builder.HasKey(b => new { b.Account, b.Region, b.Action }).HasName("pk_cloud_api_budgets");
        builder.Property(b => b.Account).HasMaxLength(64);
        builder.Property(b => b.Region).HasMaxLength(64);
        builder.Property(b => b.Action).HasMaxLength(64);
    }
}
