using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Looks once at a booting machine and moves the instance along (Provisioning → Configuring → Ready).
/// If the machine is not ready yet it schedules the next look instead of waiting: no thread is parked.
/// </summary>
internal sealed class AwaitInstanceReadyJob(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<AwaitInstanceReadyJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var instanceId = InstanceJobData.ReadInstanceId(context);
        var current = await updater.ReadAsync(instanceId, cancellationToken);
        if (current is not { Status: InstanceStatus.Provisioning or InstanceStatus.Configuring, CloudInstanceId: { } cloudId, Backend: { } backend })
        {
            return;
        }

        CloudMachine? machine;
        try
        {
            machine = await providers.ForBackend(backend).DescribeAsync(cloudId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.IsRetryable && InstanceJobData.IsFinalAttempt(context))
        {
            // Out of retries for this look, not for the instance: look again later.
            logger.LogWarning(error, "Could not look at instance {InstanceId}; will look again", instanceId);
            await ScheduleNextLookAsync(instanceId, cancellationToken);
            return;
        }

        var settings = lifecycle.Value;
        var status = await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status is not (InstanceStatus.Provisioning or InstanceStatus.Configuring))
            {
                return instance.Status;
            }

            var lookAgain = new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id, now + settings.ReadyPollInterval);
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
                    break;
                case CloudMachineState.ShuttingDown or CloudMachineState.Terminated:
                    instance.MarkFailed($"Terminated: the cloud stopped machine {cloudId} before it was ready", now);
                    break;
            }

            return instance.Status;
        }, cancellationToken);

        logger.LogDebug("Instance {InstanceId} is {Status} (machine {State})", instanceId, status, machine?.State);
    }

    private Task ScheduleNextLookAsync(Guid instanceId, CancellationToken cancellationToken) =>
        updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status is InstanceStatus.Provisioning or InstanceStatus.Configuring)
            {
                work.Add(new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id, now + lifecycle.Value.ReadyPollInterval));
            }

            return true;
        }, cancellationToken);
}
