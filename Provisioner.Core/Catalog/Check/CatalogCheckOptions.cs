using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Catalog.Check;

/// <summary>The recurring check of the catalog against each configured cloud's own list. Section <c>Catalog</c>.</summary>
public sealed class CatalogCheckOptions
{
    public const string Section = "Catalog";

    /// <summary>
    /// How often the workers read each cloud's list and record the differences. A cron-expressible period (whole
    /// minutes dividing an hour, whole hours dividing a day). Default 6 h: the clouds change their lists in weeks, and
    /// each check costs one list call per region.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Longest one cloud's listing may take; a slower one is left for the next check, its old findings kept. Default 2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ListTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
