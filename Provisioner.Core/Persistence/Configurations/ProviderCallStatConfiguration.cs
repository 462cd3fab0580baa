using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class ProviderCallStatConfiguration : IEntityTypeConfiguration<ProviderCallStat>
{
    public void Configure(EntityTypeBuilder<ProviderCallStat> builder)
    {
        builder.ToTable("provider_call_stats");
        // The key is what a flush upserts on; it leads with the minute so the 24 h cleanup and the
        // console's last-hour read are range scans of it.
        builder.HasKey(s => new { s.BucketStart, s.Provider, s.Region, s.Outcome, s.Node }).HasName("pk_provider_call_stats");
        builder.Property(s => s.Provider).HasMaxLength(32);
        builder.Property(s => s.Region).HasMaxLength(64);
        builder.Property(s => s.Outcome).HasMaxLength(32);
        builder.Property(s => s.Node).HasMaxLength(64);
    }
}
