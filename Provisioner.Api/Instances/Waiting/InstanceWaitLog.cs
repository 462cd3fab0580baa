namespace Provisioner.Api.Instances.Waiting;

/// <summary>The held reads' log events, source-generated.</summary>
internal static partial class InstanceWaitLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance change feed lost its LISTEN connection; held reads fall back to polling until it is back")]
    public static partial void ChangeFeedLost(this ILogger logger, Exception error);
}
