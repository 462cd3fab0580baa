using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class LaunchAttemptConfiguration : IEntityTypeConfiguration<LaunchAttempt>
{
    public void Configure(EntityTypeBuilder<LaunchAttempt> builder)
    {
        builder.ToTable("launch_attempts");
        builder.HasKey(a => a.Id).HasName("pk_launch_attempts");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Provider).AsUpperCaseText();
        builder.Property(a => a.InstanceType).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Region).HasMaxLength(64).IsRequired();
        builder.Property(a => a.PricePerHour).HasPrecision(12, 6);
        builder.Property(a => a.Outcome).AsUpperCaseText();
        builder.Property(a => a.Detail).HasMaxLength(2000);
        builder.HasIndex(a => new { a.InstanceId, a.Id }).HasDatabaseName("ix_launch_attempts_instance_id");
    }
}
