namespace Provisioner.Worker.Resilience;

/// <summary>The resilience layer's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Rows} provider call statistics rows; they are kept for the next flush")]
    public static partial void CallStatsNotWritten(this ILogger logger, Exception error, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last provider call statistics were not written within {Timeout}")]
    public static partial void LastCallStatsNotWritten(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit for {Key} is now {State} on {Node}{Reason}")]
    public static partial void CircuitChanged(this ILogger logger, CloudCallKey key, string state, string node, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record circuit state for {Key}")]
    public static partial void CircuitNotRecorded(this ILogger logger, Exception error, CloudCallKey key);
}
