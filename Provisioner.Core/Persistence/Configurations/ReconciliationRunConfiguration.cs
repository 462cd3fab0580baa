using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Reconciliation;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class ReconciliationRunConfiguration : IEntityTypeConfiguration<ReconciliationRun>
{
    public void Configure(EntityTypeBuilder<ReconciliationRun> builder)
    {
        builder.ToTable("reconciliation_runs");
        builder.HasKey(r => r.Id).HasName("pk_reconciliation_runs");
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.Backend).HasMaxLength(32).IsRequired();
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.HasIndex(r => new { r.Backend, r.StartedAt }).IsDescending(false, true).HasDatabaseName("ix_reconciliation_runs_backend_started_at");
    }
}
