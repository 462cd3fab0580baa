using Microsoft.Extensions.Logging;

namespace Provisioner.Hosting.JobStore;

/// <summary>The job store's log events, source-generated.</summary>
internal static partial class JobStoreLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the job store lock {Resource}; its connection is closed instead, which releases it")]
    public static partial void LockReleaseFailed(this ILogger logger, Exception error, string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job store lock {Resource} was no longer held when released")]
    public static partial void LockNotHeld(this ILogger logger, string resource);
}
