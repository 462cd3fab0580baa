namespace Provisioner.Core.Instances;

/// <summary>Served from a warm pool: the instance takes a machine that is already running, in the request that asks.</summary>
public sealed partial class Instance
{
    /// <summary>
    /// Takes a warm pool machine: recorded as launched now (the tenant is billed from the draw, the pool until it), with
    /// the machine's addresses, and Ready at once (Provisioning → Configuring → Ready, each move an event, so webhooks
    /// and the timeline read as for a cold launch). The attempts show where it came from.
    /// </summary>
    /// <param name="why">Why placement chose this offer over a cheaper cold one, when it did: shown on the attempt.</param>
    public void ServeFromPool(string poolName, string backend, string cloudInstanceId, string? publicIp, string? privateIp, DateTimeOffset now, string? why = null)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        if (CloudInstanceId is not null)
        {
            throw new InvalidOperationException($"Instance {Id} already has machine {CloudInstanceId}; refusing pool machine {cloudInstanceId}.");
        }

        MarkLaunchRequested(backend, now);
        RecordLaunchAttempt(LaunchAttemptOutcome.Warm, $"served warm from pool {poolName} (machine {cloudInstanceId}){(why is null ? "" : $"; {why}")}", now);
        RecordLaunch(cloudInstanceId, now, now);
        MarkConfiguring(publicIp, privateIp, now);
        MarkReady(now);
    }
}
