namespace Provisioner.Core.Pools;

public sealed class PoolNotFoundException(Guid poolId) : Exception($"No pool with id {poolId}.")
{
    public Guid PoolId { get; } = poolId;
}
