using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Retention;

/// <summary>Retention's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention is off (Retention:FinishedInstanceDays is 0)")]
    public static partial void RetentionOff(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Archived} instances that ended before {EndedBefore:O} archived in {Batches} batches")]
    public static partial void RetentionDone(this ILogger logger, int archived, DateTimeOffset endedBefore, int batches);
}
