using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Asks the cloud for an instance's machine. Writes the intent first, launches with a token derived from
/// the instance id (so a re-run can never start a second machine), then records the machine and schedules
/// the look that waits for it to be ready.
/// </summary>
public sealed class LaunchInstance(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<LaunchInstance> logger)
{
    /// <param name="isFinalAttempt">No retry follows: a retryable cloud failure then fails the instance.</param>
    public async Task RunAsync(Guid instanceId, bool isFinalAttempt, CancellationToken cancellationToken)
    {
        var plan = await updater.UpdateAsync(instanceId, (instance, now, _) =>
        {
            // Only a Provisioning instance is launched; a stop that came first wins and the terminate step owns it.
            if (instance.Status != InstanceStatus.Provisioning || instance.CloudInstanceId is not null)
            {
                return null;
            }

            var provider = instance.Backend is { } backend ? providers.ForBackend(backend) : providers.ForRequested(instance.Provider);
            instance.MarkLaunchRequested(provider.Name, now);
            return new LaunchPlan(provider, new LaunchSpec(
                instance.Id, LaunchTokens.For(instance.Id), instance.Owner, instance.InstanceType, instance.Region,
                instance.DiskSizeGB, instance.Tags, instance.AutoTerminateAt, instance.SpotMaxPrice, instance.UserData));
        }, cancellationToken);

        if (plan is null)
        {
            return;
        }

        CloudMachine machine;
        try
        {
            machine = await plan.Provider.LaunchAsync(plan.Spec, cancellationToken);
        }
        catch (CloudProviderException error) when (error.AskedToWait is { } wait)
        {
            logger.LogInformation("Launch of instance {InstanceId} deferred {Wait}: {Reason}", instanceId, wait, error.ToFailureReason());
            await updater.UpdateAsync(instanceId, (instance, now, work) =>
            {
                if (instance.Status == InstanceStatus.Provisioning && instance.CloudInstanceId is null)
                {
                    work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, now + wait));
                }

                return true;
            }, cancellationToken);
            return;
        }
        catch (CloudProviderException error) when (!error.IsRetryable || isFinalAttempt)
        {
            logger.LogWarning(error, "Launch of instance {InstanceId} failed for good", instanceId);
            await updater.UpdateAsync(instanceId, (instance, now, work) =>
            {
                if (instance.Status == InstanceStatus.Provisioning)
                {
                    instance.MarkFailed(error.ToFailureReason(), now);
                    // A retryable failure may have reached the cloud before its answer was lost: make sure.
                    work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
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
                // Stopped (or failed) while we launched: the machine exists now, so stop it now.
                : new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            return true;
        }, cancellationToken);
        logger.LogInformation("Instance {InstanceId} launched as {CloudInstanceId} on {Backend}",
            instanceId, machine.CloudInstanceId, plan.Provider.Name);
    }

    private sealed record LaunchPlan(ICloudProvider Provider, LaunchSpec Spec);
}
