using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class InstanceConfiguration : IEntityTypeConfiguration<Instance>
{
    public void Configure(EntityTypeBuilder<Instance> builder)
    {
        builder.ToTable("instances");
        builder.HasKey(i => i.Id).HasName("pk_instances");
        builder.Property(i => i.Id).ValueGeneratedNever();

        builder.Property(i => i.Owner).HasMaxLength(64).IsRequired();
        builder.Property(i => i.UserId).HasMaxLength(128).IsRequired();
        builder.Property(i => i.TaskId).HasMaxLength(128);
        builder.Property(i => i.Purpose).HasMaxLength(500);
        builder.Property(i => i.Provider).AsUpperCaseText();
        builder.Property(i => i.Backend).HasMaxLength(32);
        builder.Property(i => i.InstanceType).HasMaxLength(64).IsRequired();
        builder.Property(i => i.Region).HasMaxLength(64).IsRequired();
        builder.Property(i => i.Template).HasMaxLength(64);
        builder.Property(i => i.Tags).AsJsonb().IsRequired();
        builder.Property(i => i.Metadata).AsJsonb().IsRequired();
        builder.Property(i => i.Status).AsUpperCaseText();
        builder.Property(i => i.CloudInstanceId).HasMaxLength(256);
        builder.Property(i => i.PublicIp).HasMaxLength(45);
        builder.Property(i => i.PrivateIp).HasMaxLength(45);
        builder.Property(i => i.CostPerHour).HasPrecision(12, 6);
        builder.Property(i => i.TotalCost).HasPrecision(18, 6);
        builder.Property(i => i.FailureReason).HasMaxLength(2000);
        builder.Property(i => i.LastCloudError).HasMaxLength(Instance.MaxCloudErrorLength);
        builder.Property(i => i.WaitingFor).HasMaxLength(32);
        builder.Property(i => i.SpotMaxPrice).HasPrecision(12, 6);
        builder.Property(i => i.UserData).HasMaxLength(16_384);
        builder.Property(i => i.WebhookUrl).HasMaxLength(WebhookLimits.MaxUrlLength);
        builder.Property(i => i.BillingStopsAt).AsUpperCaseText();
        builder.Property(i => i.PlacementPlan).AsJsonb();
        builder.Property(i => i.OnInterruption).AsUpperCaseText();
        builder.Property(i => i.Machines).AsJsonb();
        builder.Property(i => i.EarlierMachinesCost).HasPrecision(18, 6);
        builder.Ignore(i => i.HasUnreleasedMachines);
        builder.Ignore(i => i.Billing);
        builder.Ignore(i => i.CurrentOffer);
        builder.Ignore(i => i.OffersPerRound);
        builder.Ignore(i => i.OffersOfARound);
        builder.Ignore(i => i.WorstCasePricePerHour);
        builder.Ignore(i => i.BillingEndedAt);

        // PostgreSQL's xmin: every write changes it, so a stale writer's UPDATE matches no row and loses.
        builder.Property(i => i.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");

        builder.HasMany(i => i.Events).WithOne().HasForeignKey(e => e.InstanceId)
            .HasConstraintName("fk_instance_events_instances").OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(i => i.LaunchAttempts).WithOne().HasForeignKey(a => a.InstanceId)
            .HasConstraintName("fk_launch_attempts_instances").OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.LaunchAttempts).UsePropertyAccessMode(PropertyAccessMode.Field);

        // The original design's indexes, plus what listing, sweeps and reconciliation query by.
        builder.HasIndex(i => i.UserId).HasDatabaseName("ix_instances_user_id");
        builder.HasIndex(i => i.TaskId).HasDatabaseName("ix_instances_task_id");
        builder.HasIndex(i => i.Status).HasDatabaseName("ix_instances_status");
        builder.HasIndex(i => i.Provider).HasDatabaseName("ix_instances_provider");
        builder.HasIndex(i => new { i.Owner, i.CreatedAt, i.Id }).IsDescending(false, true, true)
            .HasDatabaseName("ix_instances_owner_created_at");
        builder.HasIndex(i => i.AutoTerminateAt).HasDatabaseName("ix_instances_live_auto_terminate_at")
            .HasFilter("status NOT IN ('TERMINATED', 'FAILED')");
        // The cost rollup's question: which launched (or relaunched) instances are not yet folded for good. Settled rows leave the index.
        builder.HasIndex(i => i.Id, "ix_instances_cost_unsettled").HasFilter("(launched_at IS NOT NULL OR earlier_machines_cost > 0) AND NOT cost_settled");
        // Retention's question: which finished instances ended before the cut-off. Live rows stay out of the index.
        builder.HasIndex(i => new { i.StatusChangedAt, i.Id }, "ix_instances_finished_status_changed_at").HasFilter("status IN ('TERMINATED', 'FAILED')");
        builder.HasIndex(i => new { i.Backend, i.CloudInstanceId }).IsUnique()
            .HasDatabaseName("ux_instances_backend_cloud_instance_id").HasFilter("cloud_instance_id IS NOT NULL");
    }
}
