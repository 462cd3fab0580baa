using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Jobs;

/// <summary>The work runner's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class WorkRunnerLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} of instance {InstanceId}: ticket {Ticket} is no longer pending")]
    public static partial void TicketStale(this ILogger logger, InstanceWorkKind kind, Guid instanceId, Guid ticket);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} of instance {InstanceId} failed (attempt {Attempt} of {Allowed}); again in {Delay}: {Reason}")]
    public static partial void WorkRetrying(this ILogger logger, InstanceWorkKind kind, Guid instanceId, int attempt, int allowed, TimeSpan delay, string reason);
}
