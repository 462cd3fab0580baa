namespace Provisioner.Core.Instances;

/// <summary>
/// A machine that stopped running after it was ready, not by our hand: stopped or deallocated in the cloud's console,
/// a spot machine reclaimed, terminated outside us. The instance ends Failed with the reason class
/// <see cref="InterruptedClass"/> and the cloud's words; billing ends when the cloud says the machine stopped.
/// </summary>
public sealed partial class Instance
{
    /// <summary>The reason class of an interruption: a failure reason starts with it (<c>Interrupted: …</c>).</summary>
    public const string InterruptedClass = "Interrupted";

    /// <summary>What the client asked to happen on an interruption (<c>onInterruption</c>).</summary>
    public InterruptionPolicy OnInterruption { get; private set; }

    /// <summary>How many interruptions a relaunching instance recovers from, fixed when it was requested (0 for <see cref="InterruptionPolicy.Fail"/>).</summary>
    public int MaxInterruptions { get; private set; }

    /// <summary>When the cloud says the machine stopped (or when we noticed, where it did not say): billing ends here.</summary>
    public DateTimeOffset? InterruptedAt { get; private set; }

    /// <summary>Whether a recorded transition is an interruption (what the <c>instance.interrupted</c> webhook is raised for).</summary>
    public static bool IsInterruption(InstanceEvent raised) =>
        raised.ToStatus == InstanceStatus.Failed && raised.Cause.StartsWith(InterruptedClass + ":", StringComparison.Ordinal);

    /// <param name="reason">The cloud's words: what happened to the machine and why.</param>
    /// <param name="stoppedAt">The cloud's stop time; kept within the machine's life (never before its launch, never after now).</param>
    /// <param name="machineGone">Whether the cloud no longer holds the machine; otherwise the terminate step deletes what is left.</param>
    public void MarkInterrupted(string reason, DateTimeOffset? stoppedAt, bool machineGone, DateTimeOffset now)
    {
        var at = stoppedAt is { } stopped && stopped < now ? stopped : now;
        InterruptedAt = LaunchedAt is { } launched && at < launched ? launched : at;
        MarkFailed($"{InterruptedClass}: {reason}", now, machineGone);
    }
}
