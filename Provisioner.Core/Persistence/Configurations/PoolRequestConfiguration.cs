using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Pools;

namespace Provisioner.Core.Persistence.Configurations;

internal sealed class PoolRequestConfiguration : IEntityTypeConfiguration<PoolRequest>
{
    public void Configure(EntityTypeBuilder<PoolRequest> builder)
    {
        builder.ToTable("pool_requests");
        builder.HasKey(r => r.Id).HasName("pk_pool_requests");
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        // The hit rate and the autoscaled target read a pool's recent requests.
        builder.HasIndex(r => new { r.PoolId, r.At }).HasDatabaseName("ix_pool_requests_pool_id_at");
    }
}
