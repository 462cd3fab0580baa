namespace Provisioner.Core.Reconciliation;

/// <summary>What one comparison of a cloud with our records found and did.</summary>
public sealed class ReconciliationRun
{
    private ReconciliationRun()
    {
        Backend = string.Empty;
    }

    public ReconciliationRun(string backend, DateTimeOffset startedAt)
    {
        Backend = backend;
        StartedAt = startedAt;
    }

    public long Id { get; private set; }
    public string Backend { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Machines the cloud holds for this deployment.</summary>
    public int MachinesSeen { get; set; }

    /// <summary>Machines with no live record, past the grace period, told to terminate.</summary>
    public int OrphansTerminated { get; set; }

    /// <summary>Machines with no live record still inside the grace period (left for the next run).</summary>
    public int OrphansInGrace { get; set; }

    /// <summary>Live records whose machine the cloud no longer has, closed with the reason.</summary>
    public int RecordsClosed { get; set; }

    /// <summary>Live records that had lost their launch's answer and got their machine back.</summary>
    public int MachinesAdopted { get; set; }

    /// <summary>Why the run stopped early, if it did.</summary>
    public string? Error { get; set; }
}
