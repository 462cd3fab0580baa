using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id).HasName("pk_webhook_attempts");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Ignore(a => a.Succeeded);
        builder.Property(a => a.Error).HasMaxLength(WebhookAttempt.MaxErrorLength);
        builder.Property(a => a.ResponseExcerpt).HasMaxLength(WebhookAttempt.MaxExcerptLength);
        builder.HasIndex(a => new { a.DeliveryId, a.Number }, "ix_webhook_attempts_delivery_id");
    }
}
