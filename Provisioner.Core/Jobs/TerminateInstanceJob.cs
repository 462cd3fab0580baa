using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Stops an instance's machine and marks it Terminated only once the cloud confirms the machine gone.
/// Runs for a client's DELETE and at the instance's auto-terminate deadline; running it again is harmless.
/// </summary>
internal sealed class TerminateInstanceJob(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<TerminateInstanceJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var instanceId = InstanceJobData.ReadInstanceId(context);
        var cause = InstanceJobData.ReadKind(context) == InstanceWorkKind.AutoTerminate
            ? "auto-terminate deadline reached"
            : "termination requested";
        var settings = lifecycle.Value;

        var target = await updater.UpdateAsync(instanceId, (instance, now, _) =>
        {
            if (InstanceTransitions.IsFinal(instance.Status))
            {
                return null;
            }

            instance.RequestStop(cause, now);
            if (instance.LaunchRequestedAt is null)
            {
                instance.MarkTerminated("stopped before any machine was launched", now);
                return null;
            }

            return new Target(instance.Backend!, instance.CloudInstanceId, instance.LaunchRequestedAt.Value);
        }, cancellationToken);

        if (target is null)
        {
            return;
        }

        var provider = providers.ForBackend(target.Backend);
        var cloudId = target.CloudInstanceId;
        if (cloudId is null)
        {
            // The launch's answer is not recorded (in flight, or lost in a crash): ask the cloud by our tag.
            var found = await provider.FindByInstanceAsync(instanceId, cancellationToken);
            if (found is null)
            {
                await updater.UpdateAsync(instanceId, (instance, now, work) =>
                {
                    if (instance.Status != InstanceStatus.Stopping || instance.CloudInstanceId is not null)
                    {
                        work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
                    }
                    else if (now - target.LaunchRequestedAt < settings.NotFoundGracePeriod)
                    {
                        work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + settings.TerminatePollInterval));
                    }
                    else
                    {
                        instance.MarkTerminated("the cloud holds no machine for this instance", now);
                    }

                    return true;
                }, cancellationToken);
                return;
            }

            cloudId = found.CloudInstanceId;
            await updater.UpdateAsync(instanceId, (instance, now, _) =>
            {
                instance.RecordLaunch(found.CloudInstanceId, found.LaunchedAt, now);
                return true;
            }, cancellationToken);
        }

        CloudMachine? machine;
        try
        {
            await provider.TerminateAsync(cloudId, cancellationToken);
            machine = await provider.DescribeAsync(cloudId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            machine = null;
        }
        catch (CloudProviderException error) when (error.IsRetryable && InstanceJobData.IsFinalAttempt(context))
        {
            // Never give up on a stop: a machine left running is money lost. Try again later.
            logger.LogWarning(error, "Stopping instance {InstanceId} failed; will try again", instanceId);
            machine = new CloudMachine(cloudId, CloudMachineState.ShuttingDown, string.Empty, string.Empty, null, null, default, instanceId);
        }

        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status != InstanceStatus.Stopping)
            {
                return true;
            }

            if (machine is null || machine.State == CloudMachineState.Terminated)
            {
                instance.MarkTerminated("the cloud confirmed the machine gone", now);
            }
            else
            {
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + settings.TerminatePollInterval));
            }

            return true;
        }, cancellationToken);
    }

    private sealed record Target(string Backend, string? CloudInstanceId, DateTimeOffset LaunchRequestedAt);
}
