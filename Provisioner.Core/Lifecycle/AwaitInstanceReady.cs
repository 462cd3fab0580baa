using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Looks once at a booting machine and moves the instance along (Provisioning → Configuring → Ready).
/// If the machine is not ready yet it schedules the next look instead of waiting: no thread is parked.
/// </summary>
public sealed class AwaitInstanceReady(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<AwaitInstanceReady> logger)
{
    public async Task RunAsync(Guid instanceId, bool isFinalAttempt, CancellationToken cancellationToken)
    {
        var current = await updater.ReadAsync(instanceId, cancellationToken);
        if (current is not { Status: InstanceStatus.Provisioning or InstanceStatus.Configuring, CloudInstanceId: { } cloudId, Backend: { } backend })
        {
            return;
        }

        CloudMachine? machine;
        TimeSpan? deferBy = null;
        try
        {
            machine = await providers.ForBackend(backend).DescribeAsync(current.Region, cloudId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.AskedToWait is { } wait)
        {
            // Not an answer about the machine: look again once the cloud (or our breaker) allows.
            machine = new CloudMachine(cloudId, CloudMachineState.Pending, current.InstanceType, current.Region, null, null, default, instanceId);
            deferBy = wait;
        }
        catch (CloudProviderException error) when (error.IsRetryable && isFinalAttempt)
        {
            // Out of retries for this look, not for the instance: look again later (the stuck limit bounds it).
            logger.LogWarning(error, "Could not look at instance {InstanceId}; will look again", instanceId);
            machine = new CloudMachine(cloudId, CloudMachineState.Pending, current.InstanceType, current.Region, null, null, default, instanceId);
        }

        var settings = lifecycle.Value;
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status is not (InstanceStatus.Provisioning or InstanceStatus.Configuring))
            {
                return false;
            }

            var lookAgain = new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id, now + (deferBy ?? settings.ReadyPollInterval));
            switch (machine?.State)
            {
                case null when now - (instance.LaunchRequestedAt ?? now) < settings.NotFoundGracePeriod:
                case CloudMachineState.Pending:
                    work.Add(lookAgain);
                    break;
                case null:
                    instance.MarkFailed($"NotFound: the cloud no longer knows machine {cloudId}", now);
                    break;
                case CloudMachineState.Initializing:
                    if (instance.Status == InstanceStatus.Provisioning)
                    {
                        instance.MarkConfiguring(machine.PublicIp, machine.PrivateIp, now);
                    }

                    work.Add(lookAgain);
                    break;
                case CloudMachineState.Running:
                    if (instance.Status == InstanceStatus.Provisioning)
                    {
                        instance.MarkConfiguring(machine.PublicIp, machine.PrivateIp, now);
                    }

                    instance.MarkReady(now);
                    if (instance.IdleDeadline is { } idle)
                    {
                        work.Add(new InstanceWork(InstanceWorkKind.IdleCheck, instance.Id, idle));
                    }

                    break;
                case CloudMachineState.Failed:
                    instance.MarkFailed(machine.Failure?.ToFailureReason() ?? $"Failed: the cloud gave up on machine {cloudId}", now);
                    break;
                case CloudMachineState.ShuttingDown or CloudMachineState.Terminated:
                    instance.MarkFailed($"Terminated: the cloud stopped machine {cloudId} before it was ready", now);
                    break;
            }

            return true;
        }, cancellationToken);
    }
}
