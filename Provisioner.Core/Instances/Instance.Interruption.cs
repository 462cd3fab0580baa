namespace Provisioner.Core.Instances;

/// <summary>
/// A machine that stopped running after it was ready, not by our hand: stopped or deallocated in the cloud's console,
/// a spot machine reclaimed, terminated outside us. By default the instance ends Failed with the reason class
/// <see cref="InterruptedClass"/> and the cloud's words; billing ends when the cloud says the machine stopped. An instance
/// that asked for <see cref="InterruptionPolicy.Relaunch"/> goes back to Provisioning instead, keeping its id, until it has
/// been interrupted <see cref="MaxInterruptions"/> times (see <c>Instance.Relaunch.cs</c>).
/// </summary>
public sealed partial class Instance
{
    /// <summary>The reason class of an interruption: a failure reason starts with it (<c>Interrupted: …</c>).</summary>
    public const string InterruptedClass = "Interrupted";

    /// <summary>What the client asked to happen on an interruption (<c>onInterruption</c>).</summary>
    public InterruptionPolicy OnInterruption { get; private set; }

    /// <summary>How many interruptions a relaunching instance recovers from, fixed when it was requested (0 for <see cref="InterruptionPolicy.Fail"/>).</summary>
    public int MaxInterruptions { get; private set; }

    /// <summary>How many times the cloud took the instance's machine away (each relaunch, and the one that failed it).</summary>
    public int InterruptionCount { get; private set; }

    /// <summary>When the cloud says the machine stopped (or when we noticed, where it did not say): billing ends here.</summary>
    public DateTimeOffset? InterruptedAt { get; private set; }

    /// <summary>Whether a recorded transition is an interruption (what the <c>instance.interrupted</c> webhook is raised for): the final one, or one relaunched.</summary>
    public static bool IsInterruption(InstanceEvent raised) =>
        raised.ToStatus is InstanceStatus.Failed or InstanceStatus.Provisioning && raised.Cause.StartsWith(InterruptedClass + ":", StringComparison.Ordinal);

    /// <param name="reason">The cloud's words: what happened to the machine and why.</param>
    /// <param name="stoppedAt">The cloud's stop time; kept within the machine's life (never before its launch, never after now).</param>
    /// <param name="machineGone">Whether the cloud no longer holds the machine; otherwise the terminate step (or the relaunch's release) deletes what is left.</param>
    public void MarkInterrupted(string reason, DateTimeOffset? stoppedAt, bool machineGone, DateTimeOffset now)
    {
        var at = stoppedAt is { } stopped && stopped < now ? stopped : now;
        var endedAt = LaunchedAt is { } launched && at < launched ? launched : at;
        InterruptionCount++;
        if (OnInterruption == InterruptionPolicy.Relaunch && InterruptionCount <= MaxInterruptions
            && Status is InstanceStatus.Ready or InstanceStatus.Running && CloudInstanceId is not null && LaunchedAt is not null)
        {
            Relaunch(reason, endedAt, machineGone, now);
            return;
        }

        InterruptedAt = endedAt;
        MarkFailed($"{InterruptedClass}: {reason}", now, machineGone);
    }
}
