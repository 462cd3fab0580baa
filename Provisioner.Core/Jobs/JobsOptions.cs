using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Jobs;

/// <summary>The job engine (Quartz.NET, clustered on PostgreSQL). Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How often an idle worker looks for work scheduled by another process (the API). Quartz's floor is 1 s;
    /// pickup then takes ~0.5 s at the median. Default 1 s.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// This worker's name in the cluster (Quartz instance id), shown wherever nodes are listed. Must be unique
    /// per running worker. Default: generated from the host name and start time.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,60}$")]
    public string? NodeName { get; set; }

    /// <summary>Jobs one worker runs at once. Jobs await clouds rather than block, so this can exceed the cores. Default 16.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How often a worker tells the cluster it is alive (one small write). Default 1 s (Quartz's own is 7.5 s).</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How late a check-in may be before the worker is written off and its jobs recovered elsewhere. A dead
    /// worker is written off at its last check-in + interval + this, and recovered at a survivor's next
    /// check-in: with 1 s and 2 s, 2-4 s after a crash, while a worker stalled for under 2 s is not mistaken
    /// for a dead one. Default 2 s.
    /// </summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(2);
}
