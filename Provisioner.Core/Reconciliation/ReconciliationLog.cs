using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Reconciliation;

/// <summary>Reconciliation's and the machine watch's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class ReconciliationLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {Backend}: region {Region} could not be listed in full; going on")]
    public static partial void RegionNotListed(this ILogger logger, Exception error, string backend, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {Backend} stopped early")]
    public static partial void StoppedEarly(this ILogger logger, Exception error, string backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Backend}: {Seen} machines, {Orphans} orphans terminated, {InGrace} in grace, {Closed} records closed, {Adopted} adopted, {Skipped} skipped")]
    public static partial void Reconciled(this ILogger logger, string backend, int seen, int orphans, int inGrace, int closed, int adopted, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {CloudInstanceId} on {Backend} has no live record ({Record}); terminating it")]
    public static partial void TerminatingOrphan(this ILogger logger, string cloudInstanceId, string backend, string record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not terminate orphan {CloudInstanceId} on {Backend}; going on")]
    public static partial void OrphanNotTerminated(this ILogger logger, Exception error, string cloudInstanceId, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look at machine {CloudInstanceId} of instance {InstanceId}; going on")]
    public static partial void MachineNotDescribed(this ILogger logger, Exception error, string? cloudInstanceId, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine watch of {Backend}: region {Region} could not be read; looking again next period")]
    public static partial void WatchNotRead(this ILogger logger, Exception error, string backend, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} interrupted: {Reason}")]
    public static partial void Interrupted(this ILogger logger, Guid instanceId, string reason);
}
