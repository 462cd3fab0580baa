using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Asks the cloud for an instance's machine. Writes the intent first, launches with a token derived from
/// the instance id (so a re-run can never start a second machine), then records the machine and schedules
/// the look that waits for it to be ready.
/// </summary>
internal sealed class CreateInstanceJob(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<CreateInstanceJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var instanceId = InstanceJobData.ReadInstanceId(context);

        var spec = await updater.UpdateAsync(instanceId, (instance, now, _) =>
        {
            // Only a Provisioning instance is launched; a stop that came first wins and the terminate job owns it.
            if (instance.Status != InstanceStatus.Provisioning || instance.CloudInstanceId is not null)
            {
                return null;
            }

            var provider = instance.Backend is { } backend ? providers.ForBackend(backend) : providers.ForRequested(instance.Provider);
            instance.MarkLaunchRequested(provider.Name, now);
            return new LaunchPlan(provider, new LaunchSpec(
                instance.Id, LaunchTokens.For(instance.Id), instance.Owner, instance.InstanceType, instance.Region,
                instance.DiskSizeGB, instance.Tags, instance.AutoTerminateAt));
        }, cancellationToken);

        if (spec is null)
        {
            logger.LogDebug("Instance {InstanceId} needs no launch", instanceId);
            return;
        }

        CloudMachine machine;
        try
        {
            machine = await spec.Provider.LaunchAsync(spec.Spec, cancellationToken);
        }
        catch (CloudProviderException error) when (!error.IsRetryable || InstanceJobData.IsFinalAttempt(context))
        {
            logger.LogWarning(error, "Launch of instance {InstanceId} failed for good", instanceId);
            await updater.UpdateAsync(instanceId, (instance, now, _) =>
            {
                if (instance.Status == InstanceStatus.Provisioning)
                {
                    instance.MarkFailed(error.ToFailureReason(), now);
                }

                return true;
            }, cancellationToken);
            return;
        }

        var pollInterval = lifecycle.Value.ReadyPollInterval;
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            instance.RecordLaunch(machine.CloudInstanceId, machine.LaunchedAt, now);
            work.Add(instance.Status == InstanceStatus.Provisioning
                ? new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id, now + pollInterval)
                // Stopped while we launched: the machine exists now, so stop it now.
                : new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            return true;
        }, cancellationToken);
        logger.LogInformation("Instance {InstanceId} launched as {CloudInstanceId} on {Backend}",
            instanceId, machine.CloudInstanceId, spec.Provider.Name);
    }

    private sealed record LaunchPlan(ICloudProvider Provider, LaunchSpec Spec);
}
