namespace Provisioner.Core.Billing;

/// <summary>One run of the rollup: when, and how much it folded.</summary>
public sealed class CostRollupRun
{
    private CostRollupRun()
    {
    }

    public CostRollupRun(DateTimeOffset startedAt, DateTimeOffset foldedUntil)
    {
        StartedAt = startedAt;
        FoldedUntil = foldedUntil;
    }

    public long Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The instant every instance was folded up to: buckets are exact up to here.</summary>
    public DateTimeOffset FoldedUntil { get; private set; }

    public DateTimeOffset? FinishedAt { get; set; }
    public int InstancesFolded { get; set; }
    public int InstancesSettled { get; set; }
    public int BucketsWritten { get; set; }
}
