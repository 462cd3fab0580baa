using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Reconciliation;

/// <summary>How the reconciler reads a cloud. Section <c>Reconciliation</c>.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>
    /// Longest one page of a cloud's listing may take; a slower page ends the run (nothing is concluded from a
    /// partial listing) and the next run starts over. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ListPageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most pages one run reads from one cloud, a guard against a cloud whose page tokens never end. Default 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPages { get; set; } = 10_000;
}
