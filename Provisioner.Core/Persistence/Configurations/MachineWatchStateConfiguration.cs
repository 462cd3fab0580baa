using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Reconciliation;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class MachineWatchStateConfiguration : IEntityTypeConfiguration<MachineWatchState>
{
    public void Configure(EntityTypeBuilder<MachineWatchState> builder)
    {
        builder.ToTable("machine_watch_states");
        builder.HasKey(s => s.Backend).HasName("pk_machine_watch_states");
        builder.Property(s => s.Backend).HasMaxLength(32);
        builder.Property(s => s.Error).HasMaxLength(2000);
    }
}
