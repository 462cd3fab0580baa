using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class InstanceEventConfiguration : IEntityTypeConfiguration<InstanceEvent>
{
    public void Configure(EntityTypeBuilder<InstanceEvent> builder)
    {
        builder.ToTable("instance_events");
        builder.HasKey(e => e.Id).HasName("pk_instance_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.FromStatus).AsUpperCaseText();
        builder.Property(e => e.ToStatus).AsUpperCaseText();
        builder.Property(e => e.Cause).HasMaxLength(2000).IsRequired();
        builder.HasIndex(e => new { e.InstanceId, e.Id }).HasDatabaseName("ix_instance_events_instance_id");
    }
}
