using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Pools;

/// <summary>How warm pools are kept. Section <c>Pools</c>.</summary>
public sealed class PoolsOptions
{
    public const string Section = "Pools";

    /// <summary>
    /// How often the refill runs (recurring job <c>refill-pools</c>, once per period across workers): it launches what a
    /// pool lacks, marks booted machines warm and releases idle ones. A drawn machine is replaced within about this
    /// period plus a boot. A cron-able period in whole seconds. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefillInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The recent past whose matching requests set an autoscaled pool's target (<see cref="PoolTarget"/>). Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan DemandWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Longest a pool machine may take from launch to running before it is released as failed to start (it is then
    /// replaced). Default 10 minutes, as <c>Lifecycle:ProvisioningTimeout</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The deadline a pool machine is launched with (its dead-man switch, as an instance's auto-termination deadline is):
    /// a warm machine is released, and replaced, once fewer than <see cref="ServeMargin"/> of it are left, so every machine
    /// drawn outlives its instance. Default 12 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "03:00:00", "30.00:00:00")]
    public TimeSpan MachineLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The longest auto-termination deadline a request may ask (120 minutes): what a drawn machine must have left.</summary>
    public static readonly TimeSpan ServeMargin = TimeSpan.FromMinutes(120);

    /// <summary>
    /// A request stating needs is placed on an offer a warm pool has a free machine of, instead of the cheapest fitting one,
    /// when that offer costs at most this much more per hour (USD); a request with <c>preferWarm: true</c> takes it at any
    /// price its needs allow. Default 0: only an offer no dearer than the cheapest, or a request that asks.
    /// </summary>
    [Range(0.0, 1000.0)]
    public decimal WarmPriceDifference { get; set; }
}
