using Provisioner.Core.Instances;

namespace Provisioner.Core.Billing;

/// <summary>
/// Money spent in one hour or one (UTC) day by one tenant's user on one provider, instance type and region, folded
/// from the instances by <see cref="CostRollup"/>. Summing a tenant's buckets over a period gives its spend.
/// </summary>
public sealed class CostBucket
{
    private CostBucket()
    {
        Owner = UserId = InstanceType = Region = string.Empty;
    }

    public CostGranularity Granularity { get; private set; }
    public DateTimeOffset BucketStart { get; private set; }
    public string Owner { get; private set; }
    public string UserId { get; private set; }
    public CloudProviderName Provider { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }
    public decimal Cost { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
}
