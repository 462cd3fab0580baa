using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Pools;

internal static partial class PoolsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refill of pool {Pool} stopped early; the next pass tries again")]
    public static partial void RefillStopped(this ILogger logger, Exception error, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} drained: deleted")]
    public static partial void PoolDeleted(this ILogger logger, string pool);
}
