using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Pools;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class WarmPoolConfiguration : IEntityTypeConfiguration<WarmPool>
{
    public void Configure(EntityTypeBuilder<WarmPool> builder)
    {
        builder.ToTable("pools");
        builder.HasKey(p => p.Id).HasName("pk_pools");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(63).IsRequired();
        builder.Property(p => p.Provider).AsUpperCaseText();
        builder.Property(p => p.InstanceType).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Region).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Tenants).IsRequired();
        builder.Property(p => p.Status).AsUpperCaseText();
        builder.Property(p => p.Version).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        builder.Ignore(p => p.Size);
        // A deleted pool's name may be used again; its row stays for its history and overhead.
        builder.HasIndex(p => p.Name).IsUnique().HasDatabaseName("ux_pools_name").HasFilter("status <> 'DELETED'");
        // The draw's question on every create: which serving pool keeps this offer.
        builder.HasIndex(p => new { p.Provider, p.InstanceType, p.Region }).HasDatabaseName("ix_pools_offer");
    }
}
