using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Stops an instance's machine and marks it Terminated only once the cloud confirms the machine gone. Runs
/// for a client's DELETE, at the auto-terminate deadline, and to release the machine of a Failed instance.
/// Running it again is harmless; it never gives up on a machine that still runs.
/// </summary>
public sealed class TerminateInstance(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    TimeProvider clock,
    ILogger<TerminateInstance> logger) : IInstanceStep
{
    public async Task<StepOutcome> RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        var cause = kind == InstanceWorkKind.AutoTerminate ? "auto-terminate deadline reached" : "termination requested";
        var settings = lifecycle.Value;

        var target = await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            switch (instance.Status)
            {
                case InstanceStatus.Terminated:
                    return null;
                case InstanceStatus.Failed:
                    // Failed is final for the record, but a machine it launched must still be released.
                    return instance.LaunchRequestedAt is { } requested ? new Target(instance.Backend!, instance.Region, instance.CloudInstanceId, requested) : null;
            }

            if (kind == InstanceWorkKind.AutoTerminate && now < instance.AutoTerminateAt)
            {
                // Delivered before the deadline (engines round due times): a machine is never stopped early.
                work.Add(new InstanceWork(InstanceWorkKind.AutoTerminate, instance.Id, instance.AutoTerminateAt));
                return null;
            }

            // This step stops the machine itself (doing: Terminate): entering Stopping schedules no second terminate.
            instance.RequestStop(cause, now);
            if (instance.LaunchRequestedAt is not { } launchRequested)
            {
                instance.MarkTerminated("stopped before any machine was launched", now);
                return null;
            }

            return new Target(instance.Backend!, instance.Region, instance.CloudInstanceId, launchRequested);
        }, cancellationToken, doing: InstanceWorkKind.Terminate);

        if (target is null)
        {
            return StepOutcome.Done;
        }

        var provider = providers.ForBackend(target.Backend);
        var cloudId = target.CloudInstanceId;
        if (cloudId is null)
        {
            // The launch's answer is not recorded (in flight, or lost in a crash): ask the cloud by our tag.
            var found = await provider.FindByInstanceAsync(target.Region, instanceId, cancellationToken);
            if (found is null)
            {
                await SettleWithoutMachineAsync(instanceId, target, settings, cancellationToken);
                return StepOutcome.Done;
            }

            cloudId = found.CloudInstanceId;
            await updater.UpdateAsync(instanceId, (instance, now, _) =>
            {
                instance.RecordLaunch(found.CloudInstanceId, found.LaunchedAt, now);
                return true;
            }, cancellationToken);
        }

        var (gone, stopAcceptedAt, deferBy, retry) = await StopAndLookAsync(provider, instanceId, target.Region, cloudId, attempt, cancellationToken);
        if (retry is not null)
        {
            return StepOutcome.Retry(retry);
        }

        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (stopAcceptedAt is { } accepted)
            {
                instance.RecordStopAccepted(accepted, now);
            }

            if (gone && instance.Status == InstanceStatus.Stopping)
            {
                instance.MarkTerminated("the cloud confirmed the machine gone", now);
            }
            else if (gone && instance.Status == InstanceStatus.Failed)
            {
                instance.RecordReleased(now);
            }
            else if (!gone && instance.Status is InstanceStatus.Stopping or InstanceStatus.Failed)
            {
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + (deferBy ?? settings.TerminatePollInterval)));
            }

            return true;
        }, cancellationToken);
        return StepOutcome.Done;
    }

    /// <returns>
    /// Whether the cloud confirms the machine gone, when it accepted the stop (billing ends there on some clouds),
    /// how long to wait before trying again if the cloud asked, and the failure to retry after a back-off.
    /// </returns>
    private async Task<(bool Gone, DateTimeOffset? StopAcceptedAt, TimeSpan? DeferBy, CloudProviderException? Retry)> StopAndLookAsync(
        ICloudProvider provider, Guid instanceId, string region, string cloudId, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        DateTimeOffset? accepted = null;
        try
        {
            await provider.TerminateAsync(region, cloudId, cancellationToken);
            accepted = clock.GetUtcNow();
            var machine = await provider.DescribeAsync(region, cloudId, cancellationToken);
            return (machine is null || machine.State is CloudMachineState.Terminated or CloudMachineState.Failed, accepted, null, null);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return (true, accepted, null, null);
        }
        catch (CloudProviderException error) when (error.AskedToWait is { } wait)
        {
            return (false, accepted, wait, null);
        }
        catch (CloudProviderException error) when (error.IsRetryable && !attempt.IsLast)
        {
            return (false, accepted, null, error);
        }
        catch (CloudProviderException error) when (error.IsRetryable)
        {
            // Out of retries for this attempt only: a machine left running is money lost, so look again later.
            logger.LogWarning(error, "Stopping instance {InstanceId} failed; will try again", instanceId);
            return (false, accepted, null, null);
        }
    }

    private Task SettleWithoutMachineAsync(Guid instanceId, Target target, LifecycleOptions settings, CancellationToken cancellationToken) =>
        updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.CloudInstanceId is not null)
            {
                // Recorded meanwhile by the launch: go again with it.
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            }
            else if (now - target.LaunchRequestedAt < settings.NotFoundGracePeriod)
            {
                // A launch a moment ago may not be listed yet: look again before believing "none".
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + settings.TerminatePollInterval));
            }
            else if (instance.Status == InstanceStatus.Stopping)
            {
                instance.MarkTerminated("the cloud holds no machine for this instance", now);
            }

            return true;
        }, cancellationToken);

    private sealed record Target(string Backend, string Region, string? CloudInstanceId, DateTimeOffset LaunchRequestedAt);
}
