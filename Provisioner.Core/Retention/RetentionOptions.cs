using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Retention;

/// <summary>How long finished instances stay in the live tables, a recurring job. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Days after its end (terminated, or failed) that a finished instance is moved to the archive, with its events,
    /// launch attempts, webhook deliveries and idempotency keys. Default 30, the design's; 0 turns retention off.
    /// </summary>
    [Range(0, 36_500)]
    public int FinishedInstanceDays { get; set; } = 30;

    /// <summary>How often the retention job runs (a cron-able period). Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Instances archived per transaction: what one batch locks and writes. Default 1,000.</summary>
    [Range(10, 50_000)]
    public int BatchSize { get; set; } = 1_000;

    public bool Enabled => FinishedInstanceDays > 0;
}
