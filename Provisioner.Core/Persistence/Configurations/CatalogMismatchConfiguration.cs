using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Catalog.Check;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class CatalogMismatchConfiguration : IEntityTypeConfiguration<CatalogMismatch>
{
    public void Configure(EntityTypeBuilder<CatalogMismatch> builder)
    {
        builder.ToTable("catalog_mismatches");
        builder.HasKey(m => new { m.Provider, m.Region, m.InstanceType, m.Kind }).HasName("pk_catalog_mismatches");
        builder.Property(m => m.Provider).AsUpperCaseText();
        builder.Property(m => m.Region).HasMaxLength(64);
        builder.Property(m => m.InstanceType).HasMaxLength(128);
        builder.Property(m => m.Kind).HasMaxLength(32);
        builder.Property(m => m.CloudName).HasMaxLength(128);
    }
}
