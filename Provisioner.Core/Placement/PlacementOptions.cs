using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Placement;

/// <summary>How placement remembers refusals. Section <c>Placement</c>.</summary>
public sealed class PlacementOptions
{
    public const string Section = "Placement";

    /// <summary>
    /// How long an offering is skipped after its first capacity refusal; each refusal met after the backoff ran out
    /// doubles it, up to <see cref="BackoffMax"/>, and a launch the cloud accepts resets it. Default 1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest an offering is skipped, however often it was refused. Default 30 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest a request may ask to wait for capacity (<c>config.capacityWaitMinutes</c>). Default 1440 (a day).</summary>
    [Range(0, 10_080)]
    public int MaxCapacityWaitMinutes { get; set; } = 1440;

    /// <summary>
    /// How many offers a plan keeps (the chosen one and its fallbacks): a launch tries at most this many before it
    /// fails. Default 8.
    /// </summary>
    [Range(1, 64)]
    public int MaxOffers { get; set; } = 8;
}
