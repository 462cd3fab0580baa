using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id).HasName("pk_webhook_deliveries");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Ignore(d => d.MessageId);
        builder.Property(d => d.Owner).HasMaxLength(64).IsRequired();
        builder.Property(d => d.EventType).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Url).HasMaxLength(WebhookLimits.MaxUrlLength).IsRequired();
        // Text, not jsonb: the signature covers these exact bytes, and jsonb would reorder and respace them.
        builder.Property(d => d.Payload).HasColumnType("text").IsRequired();
        builder.Property(d => d.Status).AsUpperCaseText();
        builder.Property(d => d.JobId).HasMaxLength(64);
        builder.Property(d => d.LastError).HasMaxLength(WebhookAttempt.MaxErrorLength);
        builder.Property(d => d.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");

        builder.HasOne<Instance>().WithMany().HasForeignKey(d => d.InstanceId)
            .HasConstraintName("fk_webhook_deliveries_instances").OnDelete(DeleteBehavior.Cascade);
        builder.HasMany<WebhookAttempt>().WithOne().HasForeignKey(a => a.DeliveryId)
            .HasConstraintName("fk_webhook_attempts_webhook_deliveries").OnDelete(DeleteBehavior.Cascade);

        // The relay's question (what is pending and due), the tenant's list (newest first), and an instance's deliveries.
        builder.HasIndex(d => d.NextAttemptAt, "ix_webhook_deliveries_pending").HasFilter("status = 'PENDING'");
        builder.HasIndex(d => new { d.Owner, d.CreatedAt, d.Id }, "ix_webhook_deliveries_owner_created_at").IsDescending(false, true, true);
        builder.HasIndex(d => d.InstanceId, "ix_webhook_deliveries_instance_id");
    }
}
