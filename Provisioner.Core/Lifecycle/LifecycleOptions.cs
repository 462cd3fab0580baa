using System.ComponentModel.DataAnnotations;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Lifecycle;

/// <summary>How the workers drive an instance through its lifecycle. Section <c>Lifecycle</c>.</summary>
public sealed class LifecycleOptions : IValidatableObject, IStateTimeLimits
{
    public const string Section = "Lifecycle";

    /// <summary>Between looks at a booting machine. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ReadyPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Between looks at a stopping machine. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan TerminatePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Before the next try to release a machine whose termination the cloud refused (a permission missing, say): the
    /// instance fails with the cloud's words at once, and its machine is chased this often until released. Default 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefusedTerminateRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a launch a cloud may still not list the machine (eventual consistency) before
    /// "not found" is believed. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan NotFoundGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a job whose cloud call failed with a throttled or transient error. Default 5.</summary>
    [Range(0, 100)]
    public int CloudRetryAttempts { get; set; } = 5;

    /// <summary>First wait before such a retry; it doubles (with jitter) up to <see cref="CloudRetryMaxDelay"/>. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan CloudRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between retries. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan CloudRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest an instance may stay Provisioning before it is failed and its machine released. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ProvisioningTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest an instance may stay Configuring. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ConfiguringTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest an instance may stay Stopping before it is failed (its machine is still chased). Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan StoppingTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the lifecycle sweep runs: deadlines missed, stuck states, work that lost its job. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an instance may sit in a live state with no pending job before the sweep re-drives it. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RedriveAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each cloud is compared with our records. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often every ready machine's state is read from its cloud (the machine watch: one listing per region), so a machine
    /// stopped, reclaimed or terminated outside us is noticed within about this period plus one listing. A cron-able period
    /// like the sweep's. Default 10 s (notice well within 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a ready machine may fail its cloud's health checks (EC2 status checks, ARM's health state, Novita's
    /// <c>statusError</c>) before the machine watch treats it as interrupted and releases it, measured from the cloud's first
    /// impaired report; one that passes again within it is left alone. Default 2 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ImpairedAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many interruptions an instance that asked for <c>onInterruption: "relaunch"</c> recovers from: each one puts it
    /// on a new machine, and the one after the last fails it (FAILED, <c>Interrupted: …</c>). Fixed on each instance when
    /// it is requested, so a change applies to new requests. Default 3.
    /// </summary>
    [Range(0, 100)]
    public int MaxInterruptions { get; set; } = 3;

    /// <summary>
    /// How old a machine with no live record must be before reconciliation terminates it, so a launch whose
    /// record is still being written is never mistaken for an orphan. Default 2 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an <c>Idempotency-Key</c> is remembered. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The limit for a status (<see cref="InstanceLifecycle.TimeLimit"/>), or null for statuses with none.</summary>
    public TimeSpan? TimeoutFor(InstanceStatus status) => InstanceLifecycle.TimeLimit(status, this);

    /// <summary>Rules across settings; single values are checked by their attributes.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CloudRetryMaxDelay < CloudRetryInitialDelay)
        {
            yield return new ValidationResult(
                $"{Section}:CloudRetryMaxDelay ({CloudRetryMaxDelay}) must not be shorter than {Section}:CloudRetryInitialDelay ({CloudRetryInitialDelay})",
                [nameof(CloudRetryMaxDelay)]);
        }
    }
}
