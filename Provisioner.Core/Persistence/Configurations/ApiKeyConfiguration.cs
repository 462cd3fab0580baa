using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Tenancy;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id).HasName("pk_api_keys");
        builder.Property(k => k.Id).HasMaxLength(16);
        builder.Property(k => k.Tenant).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Name).HasMaxLength(200).IsRequired();
        builder.Property(k => k.Role).AsUpperCaseText();
        builder.Property(k => k.SecretHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Ignore(k => k.IsActive);
        builder.HasIndex(k => k.Tenant).HasDatabaseName("ix_api_keys_tenant");
    }
}
