namespace Provisioner.Core.Pools;

/// <summary>
/// A create a pool could serve, and whether it did: the pool's hit rate, and the demand its autoscaled target follows.
/// One insert per create (never an update of the pool's row, which every create would contend on).
/// </summary>
public sealed class PoolRequest
{
    private PoolRequest()
    {
    }

    public PoolRequest(Guid poolId, Guid instanceId, bool served, DateTimeOffset at)
    {
        PoolId = poolId;
        InstanceId = instanceId;
        Served = served;
        At = at;
    }

    public long Id { get; private set; }
    public Guid PoolId { get; private set; }
    public Guid InstanceId { get; private set; }

    /// <summary>Whether a warm machine was drawn for it (else it launched cold).</summary>
    public bool Served { get; private set; }

    public DateTimeOffset At { get; private set; }
}
