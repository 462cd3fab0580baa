using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Telemetry;

/// <summary>Traces and metrics. Section <c>Telemetry</c>; the standard <c>OTEL_*</c> environment variables work too.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Where to send traces and metrics over OTLP (gRPC, e.g. <c>http://otel-collector:4317</c>). Unset: OTLP is
    /// used only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and the
    /// other standard variables); otherwise nothing is exported and metrics are only served on <c>/metrics</c>.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// How often at most the API counts instances by state and sums their spend for the gauges: once at start, then
    /// after each read of the gauges (a scrape, an OTLP export), so a stack nobody scrapes never counts. Default 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CensusInterval { get; set; } = TimeSpan.FromSeconds(15);
}
