using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class TenantWebhookConfiguration : IEntityTypeConfiguration<TenantWebhook>
{
    public void Configure(EntityTypeBuilder<TenantWebhook> builder)
    {
        builder.ToTable("tenant_webhooks");
        builder.HasKey(t => t.Owner).HasName("pk_tenant_webhooks");
        builder.Property(t => t.Owner).HasMaxLength(64);
        builder.Property(t => t.Url).HasMaxLength(WebhookLimits.MaxUrlLength);
        builder.Property(t => t.Events).IsRequired();
        builder.Property(t => t.Secret).HasMaxLength(100).IsRequired();
        builder.Property(t => t.PreviousSecret).HasMaxLength(100);
    }
}
