using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> builder)
    {
        builder.ToTable("idempotency_keys");
        // One key per owner: a second request with the key waits on this index until the first commits.
        builder.HasKey(k => new { k.Owner, k.Key }).HasName("pk_idempotency_keys");
        builder.Property(k => k.Owner).HasMaxLength(64);
        builder.Property(k => k.Key).HasMaxLength(255);
        builder.Property(k => k.RequestHash).HasMaxLength(64).IsRequired();
        builder.HasOne<Instance>().WithMany().HasForeignKey(k => k.InstanceId)
            .HasConstraintName("fk_idempotency_keys_instances").OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.InstanceId).HasDatabaseName("ix_idempotency_keys_instance_id");
        builder.HasIndex(k => k.CreatedAt).HasDatabaseName("ix_idempotency_keys_created_at");
    }
}
