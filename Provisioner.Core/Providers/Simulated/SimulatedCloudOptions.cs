using System.ComponentModel.DataAnnotations;
using Provisioner.Core.ApiBudgets;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// How the simulated cloud behaves. Its machines live in PostgreSQL, so every worker process sees one cloud.
/// Section <c>Providers:Simulated</c>.
/// </summary>
public sealed class SimulatedCloudOptions
{
    public const string Section = "Providers:Simulated";

    /// <summary>From launch until the machine runs and has addresses (pending). Default 5 s, as the original design measured.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BootTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>From running until it passes its checks (initializing). Default 10 s, as the original design measured.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ConfigureTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>From a terminate call until the machine is gone (shutting-down). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ShutdownTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Added to every call, to look like a remote API. Default none.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of calls that fail with a transient <c>InternalError</c>, from 0 to 1. Default 0.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>Share of calls refused as throttled (EC2's <c>RequestLimitExceeded</c>), from 0 to 1. Default 0.</summary>
    [Range(0.0, 1.0)]
    public double ThrottleRate { get; set; }

    /// <summary>The retry-after a throttled call is answered with. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ThrottleRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Share of launch and terminate calls that the cloud carries out but whose answer is lost (a timeout
    /// after the fact), from 0 to 1. The nastiest real failure: the caller cannot tell it from one that did
    /// nothing. Default 0.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LostResponseRate { get; set; }

    /// <summary>
    /// Live machines allowed per instance type and region; beyond it launches fail with insufficient capacity. Default
    /// unlimited. <see cref="Capacity"/> and capacity set while running (<see cref="SimulatedCloudControl"/>) come first.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? CapacityPerTypeAndRegion { get; set; }

    /// <summary>
    /// Live machines allowed for one type in one region, keyed <c>type@region</c> (e.g.
    /// <c>Providers:Simulated:Capacity:sim.gpu.small@sim-local-1</c> = 3; 0 for none). Capacity set while running
    /// (<see cref="SimulatedCloudControl.SetCapacityAsync"/>) comes first.
    /// </summary>
    public Dictionary<string, int> Capacity { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The cloud's own API token buckets, per action and region, shared by every process using the cloud: keyed
    /// <c>RunInstances</c> (launch), <c>TerminateInstances</c> (terminate) or <c>Describe</c> (describe, find, list), e.g.
    /// <c>Providers:Simulated:ApiLimits:RunInstances:Capacity</c> = 5 and <c>:RefillPerSecond</c> = 2, EC2's own. A call
    /// finding its bucket empty is refused <c>RequestLimitExceeded</c> without a retry-after, as EC2 does. Default none.
    /// </summary>
    public Dictionary<string, ApiLimit> ApiLimits { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Share of launches the cloud accepts and then gives up on once the machine should have booted (as an Azure
    /// allocation failure arrives after the create was accepted), from 0 to 1: the machine is reported failed
    /// with <c>AllocationFailed</c>. Default 0.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LateFailureRate { get; set; }

    /// <summary>
    /// How long a terminated machine still answers describe calls, as EC2 keeps them visible; after that it is
    /// deleted from the table. Default 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan TerminatedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Machines per page when listing. Default 500.</summary>
    [Range(1, 10_000)]
    public int ListPageSize { get; set; } = 500;

    /// <summary>
    /// Catalog types the simulated cloud does not sell, as <c>type</c> (nowhere) or <c>type@region</c>, so a catalog check
    /// finds entries the cloud does not know. Default none: it sells every type the catalog asks about.
    /// </summary>
    public List<string> Unsold { get; set; } = [];

    /// <summary>
    /// Types the simulated cloud sells beyond the catalog, as <c>type@region</c> (e.g. <c>sim.gpu.medium@sim-local-1</c>),
    /// so a catalog check finds what the catalog lacks. Default none.
    /// </summary>
    public List<string> AlsoSold { get; set; } = [];
}
