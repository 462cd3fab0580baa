using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class ProviderCircuitConfiguration : IEntityTypeConfiguration<ProviderCircuit>
{
    public void Configure(EntityTypeBuilder<ProviderCircuit> builder)
    {
        builder.ToTable("provider_circuits");
        builder.HasKey(c => new { c.Backend, c.Region, c.Node }).HasName("pk_provider_circuits");
        builder.Property(c => c.Backend).HasMaxLength(32);
        builder.Property(c => c.Region).HasMaxLength(64);
        builder.Property(c => c.Node).HasMaxLength(64);
        builder.Property(c => c.State).HasMaxLength(16).IsRequired();
        builder.Property(c => c.LastError).HasMaxLength(2000);
    }
}
