using System.ComponentModel.DataAnnotations;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// How calls to one provider are protected. Section <c>Resilience:Defaults</c>, overridden per provider by
/// <c>Resilience:Providers:{BACKEND}</c> (e.g. <c>Resilience:Providers:AWS:MaxConcurrentCalls</c>).
/// </summary>
public sealed class CloudResilienceOptions
{
    public const string Section = "Resilience";

    /// <summary>Longest one call may take before it counts as a transient failure. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries in place for a throttled or transient failure; beyond them the job is re-run later. Default 2.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First backoff; it doubles with jitter. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Longest a job waits in place. A retry-after beyond it, or an open circuit, becomes a re-run of the
    /// step at that time instead, so no worker thread is parked for minutes. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxInPlaceDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of failed calls, over <see cref="CircuitSamplingDuration"/>, that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the ratio counts. Default 10.</summary>
    [Range(2, int.MaxValue)]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before it lets a trial call through. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls in flight at once, per provider and region, per worker. Default 8.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentCalls { get; set; } = 8;

    /// <summary>Calls that may wait for a free slot; beyond them a call is deferred. Default 500.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedCalls { get; set; } = 500;

    /// <summary>Calls started per second, per provider and region, per worker (a token bucket); null for no limit. Default 20.</summary>
    [Range(1, 10_000)]
    public int? CallsPerSecond { get; set; } = 20;
}
