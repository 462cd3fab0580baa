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
                    return instance.LaunchRequestedAt is { } requested ? new Target(instance.Backend!, instance.Region, instance.CloudInstanceId, requested, instance.IsEarlierMachine) : null;
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

            return new Target(instance.Backend!, instance.Region, instance.CloudInstanceId, launchRequested, instance.IsEarlierMachine);
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
            CloudMachine? found;
            try
            {
                found = await provider.FindByInstanceAsync(target.Region, instanceId, cancellationToken);
            }
            catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
            {
                found = null;
            }
            catch (CloudProviderException error)
            {
                return await SettleFailedCallAsync(instanceId, error, null, attempt, settings, cancellationToken);
            }

            // A machine the instance lost to an interruption carries its tag too: the release step ends it, not this one.
            if (found is not null && target.IsEarlierMachine(found.CloudInstanceId))
            {
                found = null;
            }

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

        var (gone, stopAcceptedAt, failed) = await StopAndLookAsync(provider, target.Region, cloudId, cancellationToken);
        if (failed is not null)
        {
            return await SettleFailedCallAsync(instanceId, failed, stopAcceptedAt, attempt, settings, cancellationToken);
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
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + settings.TerminatePollInterval));
            }

            return true;
        }, cancellationToken);
        return StepOutcome.Done;
    }

    /// <returns>
    /// Whether the cloud confirms the machine gone, when it accepted the stop (billing ends there on some clouds), and
    /// the cloud's failure when a call failed (the caller settles it by its class: <see cref="SettleFailedCallAsync"/>).
    /// </returns>
    private async Task<(bool Gone, DateTimeOffset? StopAcceptedAt, CloudProviderException? Failed)> StopAndLookAsync(
        ICloudProvider provider, string region, string cloudId, CancellationToken cancellationToken)
    {
        DateTimeOffset? accepted = null;
        try
        {
            await provider.TerminateAsync(region, cloudId, cancellationToken);
            accepted = clock.GetUtcNow();
            var machine = await provider.DescribeAsync(region, cloudId, cancellationToken);
            return (machine is null || machine.State is CloudMachineState.Terminated or CloudMachineState.Failed, accepted, null);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return (true, accepted, null);
        }
        catch (CloudProviderException error)
        {
            return (false, accepted, error);
        }
    }

    /// <summary>
    /// A cloud call of this step failed; never thrown out of the step. The cloud (or our breaker) asked for a wait: try
    /// again after it. Throttled or transient: a retry after a back-off, then, out of retries, a later try (a machine
    /// left running is money lost). Refused (permissions, quota, a malformed call): this termination attempt ends at
    /// once with the cloud's words: a Stopping instance fails with them (its machine still bills, which the failure
    /// says), and the release is tried again after <see cref="LifecycleOptions.RefusedTerminateRetryInterval"/> (a
    /// fixed policy then releases it; the reconciler's orphan sweep does too).
    /// </summary>
    private async Task<StepOutcome> SettleFailedCallAsync(
        Guid instanceId, CloudProviderException error, DateTimeOffset? stopAcceptedAt, WorkAttempt attempt, LifecycleOptions settings, CancellationToken cancellationToken)
    {
        if (error.AskedToWait is null && error.IsRetryable && !attempt.IsLast)
        {
            return StepOutcome.Retry(error);
        }

        if (error.IsRetryable)
        {
            logger.StopFailed(error, instanceId);
        }
        else
        {
            logger.StopRefused(error, instanceId);
        }

        var next = error.AskedToWait ?? (error.IsRetryable ? settings.TerminatePollInterval : settings.RefusedTerminateRetryInterval);
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (stopAcceptedAt is { } accepted)
            {
                instance.RecordStopAccepted(accepted, now);
            }

            if (instance.Status is not (InstanceStatus.Stopping or InstanceStatus.Failed) || instance.ReleasedAt is not null)
            {
                return true;
            }

            instance.RecordCloudError(error.ToFailureReason(), now);
            if (!error.IsRetryable && instance.Status == InstanceStatus.Stopping)
            {
                instance.MarkFailed($"Termination refused, the machine may still run: {error.ToFailureReason()}", now);
            }

            work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now + next));
            return true;
        }, cancellationToken, doing: InstanceWorkKind.Terminate);
        return StepOutcome.Done;
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

    private sealed record Target(string Backend, string Region, string? CloudInstanceId, DateTimeOffset LaunchRequestedAt, Func<string, bool> IsEarlierMachine);
}
