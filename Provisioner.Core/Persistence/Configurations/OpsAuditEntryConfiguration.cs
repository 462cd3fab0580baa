using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Operations;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class OpsAuditEntryConfiguration : IEntityTypeConfiguration<OpsAuditEntry>
{
    public void Configure(EntityTypeBuilder<OpsAuditEntry> builder)
    {
        builder.ToTable("ops_audit");
        builder.HasKey(e => e.Id).HasName("pk_ops_audit");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.KeyId).HasMaxLength(16).IsRequired();
        builder.Property(e => e.KeyName).HasMaxLength(200).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Target).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Outcome).HasMaxLength(OpsAuditEntry.MaxDetailLength).IsRequired();
        // The instance page reads an instance's entries; the audit list reads newest first by id.
        builder.HasIndex(e => e.InstanceId).HasDatabaseName("ix_ops_audit_instance_id");
    }
}
