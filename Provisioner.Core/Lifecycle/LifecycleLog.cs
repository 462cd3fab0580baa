using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Lifecycle;

/// <summary>The instance lifecycle's log events, source-generated (no boxing, no template parse per call). Texts are stable: tests and docs quote some.</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} requested by {Owner}: {Provider} {InstanceType} in {Region}")]
    public static partial void InstanceRequested(this ILogger logger, Guid instanceId, string owner, CloudProviderName provider, string instanceType, string region);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Instance {InstanceId} changed under us (attempt {Attempt}); deciding again")]
    public static partial void InstanceChangedUnderUs(this ILogger logger, Guid instanceId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} waited for capacity until its limit; failing it")]
    public static partial void CapacityWaitExpired(this ILogger logger, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Launch of instance {InstanceId} deferred {Wait}: {Reason}")]
    public static partial void LaunchDeferred(this ILogger logger, Guid instanceId, TimeSpan wait, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Launch of instance {InstanceId} failed for good")]
    public static partial void LaunchFailed(this ILogger logger, Exception error, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} launched as {CloudInstanceId} on {Backend}")]
    public static partial void Launched(this ILogger logger, Guid instanceId, string cloudInstanceId, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Launch of instance {InstanceId}: no capacity on any allowed offer (last: {Offering}); waiting if the request allows, else failed")]
    public static partial void NoCapacityLeft(this ILogger logger, Guid instanceId, Offering offering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId}: no capacity on {Refused}; failing over to {Next}")]
    public static partial void FailingOver(this ILogger logger, Guid instanceId, Offering refused, PlannedOffer next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the failed machine {CloudInstanceId} of instance {InstanceId}; not failing over")]
    public static partial void FailedMachineNotDeleted(this ILogger logger, Exception error, string cloudInstanceId, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId}: {Offering} failed after acceptance for lack of capacity; {Next}")]
    public static partial void FailedAfterAcceptance(this ILogger logger, Guid instanceId, Offering offering, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look at instance {InstanceId}; will look again")]
    public static partial void InstanceNotDescribed(this ILogger logger, Exception error, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cloud refused to describe instance {InstanceId}; failing it")]
    public static partial void DescribeRefused(this ILogger logger, Exception error, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping instance {InstanceId} failed; will try again")]
    public static partial void StopFailed(this ILogger logger, Exception error, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cloud refused to stop instance {InstanceId}; the attempt ends here")]
    public static partial void StopRefused(this ILogger logger, Exception error, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lifecycle sweep: {Deadlines} deadlines enforced, {Stuck} stuck instances failed, {Redriven} re-driven")]
    public static partial void SweepActed(this ILogger logger, int deadlines, int stuck, int redriven);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} is {Status} with no {Kinds} pending; re-driving")]
    public static partial void Redriving(this ILogger logger, Guid instanceId, InstanceStatus status, string kinds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} interrupted on {Interrupted}: relaunching on {Offering}")]
    public static partial void Relaunching(this ILogger logger, Guid instanceId, Offering interrupted, Offering offering);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {CloudInstanceId}, lost by instance {InstanceId} to an interruption, is not released yet")]
    public static partial void EarlierMachineNotReleased(this ILogger logger, Exception error, string cloudInstanceId, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} served warm from pool {Pool} (machine {CloudInstanceId})")]
    public static partial void ServedFromPool(this ILogger logger, Guid instanceId, string pool, string cloudInstanceId);
}
