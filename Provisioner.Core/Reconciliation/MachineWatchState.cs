namespace Provisioner.Core.Reconciliation;

/// <summary>
/// The machine watch's latest pass over one cloud: one row a cloud, overwritten every pass (the watch runs every few
/// seconds, so a row a pass would be noise). A pass that could not read a region says so in <see cref="Error"/>, in the
/// words of reconciliation's partial runs; <see cref="FailingSince"/> tells how long the watch has been half blind.
/// </summary>
public sealed class MachineWatchState
{
    private MachineWatchState()
    {
        Backend = string.Empty;
    }

    public MachineWatchState(string backend) => Backend = backend;

    public string Backend { get; private set; }

    /// <summary>When the latest pass ran.</summary>
    public DateTimeOffset CheckedAt { get; private set; }

    /// <summary>Ready machines the latest pass looked for.</summary>
    public int Watched { get; private set; }

    /// <summary>What the latest pass could not read (<c>partial: {region} unread (…)</c>); null when it read every region.</summary>
    public string? Error { get; private set; }

    /// <summary>Since which pass the watch has failed to read something, without a full pass between; null while it reads all.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public void Record(DateTimeOffset now, int watched, string? error)
    {
        FailingSince = error is null ? null : FailingSince ?? now;
        CheckedAt = now;
        Watched = watched;
        Error = error;
    }
}
