using System.ComponentModel.DataAnnotations;

namespace Provisioner.Worker.Resilience;

/// <summary>How often a worker writes its cloud call counts to <c>provider_call_stats</c>. Section <c>Resilience</c>.</summary>
public sealed class ProviderCallStatsOptions
{
    public const string Section = CloudResilienceOptions.Section;

    /// <summary>
    /// Between flushes; what the Providers page shows lags by up to this much. Each flush is one statement per
    /// worker, so short intervals cost little. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StatsFlushInterval { get; set; } = TimeSpan.FromSeconds(30);
}
