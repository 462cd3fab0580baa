using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class PendingWorkConfiguration : IEntityTypeConfiguration<PendingWork>
{
    public void Configure(EntityTypeBuilder<PendingWork> builder)
    {
        builder.ToTable("pending_work");
        // At most one pending item per instance and kind: scheduling again replaces it.
        builder.HasKey(w => new { w.InstanceId, w.Kind }).HasName("pk_pending_work");
        builder.Property(w => w.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(w => w.JobId).HasMaxLength(64);
        // version-traceid-parentid-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.
        builder.Property(w => w.TraceParent).HasMaxLength(55);
        builder.Property(w => w.CorrelationId).HasMaxLength(Telemetry.Correlation.MaxLength);
        builder.HasOne<Instance>().WithMany().HasForeignKey(w => w.InstanceId)
            .HasConstraintName("fk_pending_work_instances").OnDelete(DeleteBehavior.Cascade);
        // The relay's two questions: what falls due and was never handed off, and what is overdue (its job lost).
        // Named, because two unnamed indexes on one column are one index to EF.
        builder.HasIndex(w => w.RunAt, "ix_pending_work_not_handed_off").HasFilter("job_id IS NULL");
        builder.HasIndex(w => w.RunAt, "ix_pending_work_run_at");
    }
}
