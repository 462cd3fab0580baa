using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Placement;

/// <summary>How placement remembers refusals. Section <c>Placement</c>.</summary>
public sealed class PlacementOptions
{
    public const string Section = "Placement";

    /// <summary>How long an offering refused for capacity is skipped. Default 3 min (Karpenter's unavailable-offerings TTL).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UnavailableFor { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How many offers a plan keeps (the chosen one and its fallbacks): a launch tries at most this many before it
    /// fails. Default 8.
    /// </summary>
    [Range(1, 64)]
    public int MaxOffers { get; set; } = 8;
}
