using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Retention;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class ArchivedInstanceConfiguration : IEntityTypeConfiguration<ArchivedInstance>
{
    public void Configure(EntityTypeBuilder<ArchivedInstance> builder)
    {
        builder.ToTable("archived_instances");
        builder.HasKey(a => a.Id).HasName("pk_archived_instances");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Owner).HasMaxLength(64).IsRequired();
        builder.Property(a => a.UserId).HasMaxLength(128).IsRequired();
        builder.Property(a => a.Status).HasMaxLength(16).IsRequired();
        builder.Property(a => a.Record).HasColumnType("jsonb").IsRequired();
        builder.HasIndex(a => new { a.Owner, a.EndedAt }, "ix_archived_instances_owner_ended_at");
    }
}
