namespace Provisioner.Core.Billing;

/// <summary>How far a still-billing instance has been folded into the buckets, and what it had cost by then.</summary>
public sealed class CostRollupMark
{
    private CostRollupMark()
    {
    }

    public Guid InstanceId { get; private set; }
    public DateTimeOffset RolledUntil { get; private set; }
    public decimal RolledCost { get; private set; }
}
