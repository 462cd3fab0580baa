namespace Provisioner.Core.Jobs;

/// <summary>How the workers drive an instance through its lifecycle. Section <c>Lifecycle</c>.</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    /// <summary>Between looks at a booting machine. Default 2 s.</summary>
    public TimeSpan ReadyPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Between looks at a stopping machine. Default 2 s.</summary>
    public TimeSpan TerminatePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after a launch a cloud may still not list the machine (eventual consistency) before
    /// "not found" is believed. Default 60 s.
    /// </summary>
    public TimeSpan NotFoundGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a job whose cloud call failed with a throttled or transient error. Default 5.</summary>
    public int CloudRetryAttempts { get; set; } = 5;

    /// <summary>First wait before such a retry; it doubles (with jitter) up to <see cref="CloudRetryMaxDelay"/>. Default 2 s.</summary>
    public TimeSpan CloudRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between retries. Default 60 s.</summary>
    public TimeSpan CloudRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);
}
