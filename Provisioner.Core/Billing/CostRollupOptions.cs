using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Billing;

/// <summary>The cost rollup, a recurring job. Section <c>Costs</c>.</summary>
public sealed class CostRollupOptions
{
    public const string Section = "Costs";

    /// <summary>How often usage is folded into the hourly and daily buckets (a cron-able period). Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Instances folded per transaction. Default 5,000.</summary>
    [Range(100, 100_000)]
    public int BatchSize { get; set; } = 5_000;
}
