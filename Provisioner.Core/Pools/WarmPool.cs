using Provisioner.Core.Instances;

namespace Provisioner.Core.Pools;

/// <summary>
/// Machines of one exact offer (provider, type, region) kept running before anyone asks, so a matching create is READY
/// in the request that asks for it instead of after a cold boot. Operators set its size (<see cref="Min"/> to
/// <see cref="Max"/>), how long an unused machine above the target may idle, who may draw from it, and whether its
/// target follows demand (<see cref="PoolTarget"/>). Its warm idle time is billed to the pool, not to a tenant.
/// </summary>
public sealed class WarmPool
{
    private WarmPool()
    {
        Name = InstanceType = Region = string.Empty;
        Tenants = [];
    }

    public WarmPool(Guid id, string name, CloudProviderName provider, string instanceType, string region, int diskSizeGB, PoolSize size, string[] tenants, DateTimeOffset now)
    {
        Id = id;
        Name = name;
        Provider = provider;
        InstanceType = instanceType;
        Region = region;
        DiskSizeGB = diskSizeGB;
        Tenants = tenants;
        Status = WarmPoolStatus.Active;
        CreatedAt = now;
        Resize(size, now);
    }

    public Guid Id { get; private set; }

    /// <summary>Unique among pools not deleted; shown on the ops console and on an instance's attempts.</summary>
    public string Name { get; private set; }

    public CloudProviderName Provider { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }

    /// <summary>The disk its machines are launched with: requests for at most this much are served.</summary>
    public int DiskSizeGB { get; private set; }

    /// <summary>Warm machines kept however quiet demand is.</summary>
    public int Min { get; private set; }

    /// <summary>Most warm and starting machines at once, however busy.</summary>
    public int Max { get; private set; }

    /// <summary>How long a warm machine above the target may wait unused before it is released.</summary>
    public int IdleMinutes { get; private set; }

    /// <summary>Whether the target follows the recent rate of matching requests (<see cref="PoolTarget"/>); else it is <see cref="Min"/>.</summary>
    public bool Autoscale { get; private set; }

    /// <summary>The tenants that may draw; empty for every tenant.</summary>
    public string[] Tenants { get; private set; }

    public WarmPoolStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL <c>xmin</c>).</summary>
    public uint Version { get; private set; }

    public PoolSize Size => new(Min, Max, IdleMinutes, Autoscale);

    public bool Serves(string tenant) => Tenants.Length == 0 || Tenants.Contains(tenant, StringComparer.Ordinal);

    public void Resize(PoolSize size, DateTimeOffset now)
    {
        if (Status != WarmPoolStatus.Active)
        {
            throw new InvalidOperationException($"Pool {Name} is {Status}: it can no longer be changed.");
        }

        (Min, Max, IdleMinutes, Autoscale) = size;
        UpdatedAt = now;
    }

    public void AllowTenants(string[] tenants, DateTimeOffset now)
    {
        Tenants = tenants;
        UpdatedAt = now;
    }

    /// <summary>Stops draws at once; the refill releases its machines. Deleting again changes nothing.</summary>
    public bool Drain(DateTimeOffset now)
    {
        if (Status != WarmPoolStatus.Active)
        {
            return false;
        }

        Status = WarmPoolStatus.Draining;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The last machine of a draining pool is released.</summary>
    public void MarkDeleted(DateTimeOffset now)
    {
        Status = WarmPoolStatus.Deleted;
        UpdatedAt = now;
    }
}

/// <summary>How many machines a pool keeps and for how long: <c>0 ≤ min ≤ max</c>, an idle limit of at least a minute.</summary>
public sealed record PoolSize(int Min, int Max, int IdleMinutes, bool Autoscale);
