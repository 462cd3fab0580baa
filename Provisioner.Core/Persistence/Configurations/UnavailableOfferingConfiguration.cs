using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class UnavailableOfferingConfiguration : IEntityTypeConfiguration<UnavailableOffering>
{
    public void Configure(EntityTypeBuilder<UnavailableOffering> builder)
    {
        builder.ToTable("unavailable_offerings");
        builder.HasKey(u => new { u.Provider, u.InstanceType, u.Region, u.Spot }).HasName("pk_unavailable_offerings");
        builder.Property(u => u.Provider).AsUpperCaseText();
        builder.Property(u => u.InstanceType).HasMaxLength(64);
        builder.Property(u => u.Region).HasMaxLength(64);
        builder.Property(u => u.Reason).HasMaxLength(2000).IsRequired();
        builder.Ignore(u => u.Offering);
    }
}
