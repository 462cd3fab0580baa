using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Telemetry;

/// <summary>Telemetry's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count instances for the metrics")]
    public static partial void CensusFailed(this ILogger logger, Exception error);
}
