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

    /// <summary>Jobs one worker runs at once. Jobs await clouds rather than block, so this can exceed the cores. Default 16.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How often a worker tells the cluster it is alive. Default 2 s (Quartz's own is 7.5 s).</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How late a check-in may be before the worker is written off and its jobs recovered elsewhere.
    /// With the interval, 2 s gives recovery 3-4 s after a crash. Default 2 s.
    /// </summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(2);
}
