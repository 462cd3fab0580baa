using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Pools;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class PoolMachineConfiguration : IEntityTypeConfiguration<PoolMachine>
{
    public void Configure(EntityTypeBuilder<PoolMachine> builder)
    {
        builder.ToTable("pool_machines", t =>
            // In its pool or on an instance, never both, never neither: the database refuses any other row.
            t.HasCheckConstraint("ck_pool_machines_drawn_has_instance", "(state = 'DRAWN') = (instance_id IS NOT NULL)"));
        builder.HasKey(m => m.Id).HasName("pk_pool_machines");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Backend).HasMaxLength(32).IsRequired();
        builder.Property(m => m.InstanceType).HasMaxLength(64).IsRequired();
        builder.Property(m => m.Region).HasMaxLength(64).IsRequired();
        builder.Property(m => m.PricePerHour).HasPrecision(12, 6);
        builder.Property(m => m.State).AsUpperCaseText();
        builder.Property(m => m.CloudInstanceId).HasMaxLength(256);
        builder.Property(m => m.PublicIp).HasMaxLength(45);
        builder.Property(m => m.PrivateIp).HasMaxLength(45);
        builder.Property(m => m.ReleaseReason).HasMaxLength(2000);
        builder.Property(m => m.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        builder.Ignore(m => m.LaunchToken);
        builder.Ignore(m => m.OverheadEndsAt);
        builder.HasIndex(m => new { m.PoolId, m.State }).HasDatabaseName("ix_pool_machines_pool_id_state");
        // One machine per instance: a draw that ran twice cannot give an instance a second machine.
        builder.HasIndex(m => m.InstanceId).IsUnique().HasDatabaseName("ux_pool_machines_instance_id").HasFilter("instance_id IS NOT NULL");
        builder.HasIndex(m => new { m.Backend, m.CloudInstanceId }).IsUnique()
            .HasDatabaseName("ux_pool_machines_backend_cloud_instance_id").HasFilter("cloud_instance_id IS NOT NULL");
    }
}
