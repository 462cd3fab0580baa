using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Placement;

/// <summary>How placement remembers refusals. Section <c>Placement</c>.</summary>
public sealed class PlacementOptions
{
    public const string Section = "Placement";

    /// <summary>How long an offering refused for capacity is skipped. Default 3 min (Karpenter's unavailable-offerings TTL).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UnavailableFor { get; set; } = TimeSpan.FromMinutes(3);
}
