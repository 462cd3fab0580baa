namespace Provisioner.Core.Retention;

/// <summary>One run of retention: when, up to which end, and how much it moved.</summary>
public sealed class RetentionRun
{
    private RetentionRun()
    {
    }

    public RetentionRun(DateTimeOffset startedAt, DateTimeOffset endedBefore)
    {
        StartedAt = startedAt;
        EndedBefore = endedBefore;
    }

    public long Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The cut-off: instances that ended before this instant were due.</summary>
    public DateTimeOffset EndedBefore { get; private set; }

    public DateTimeOffset? FinishedAt { get; set; }
    public int InstancesArchived { get; set; }
    public int Batches { get; set; }
}
