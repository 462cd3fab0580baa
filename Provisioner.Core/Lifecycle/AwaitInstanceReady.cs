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
    LateCapacityFailover lateCapacity,
    ILogger<AwaitInstanceReady> logger) : IInstanceStep
{
    Task<StepOutcome> IInstanceStep.RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken) =>
        RunAsync(instanceId, attempt, cancellationToken);

    public async Task<StepOutcome> RunAsync(Guid instanceId, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        var current = await updater.ReadAsync(instanceId, cancellationToken);
        if (current is not { Status: InstanceStatus.Provisioning or InstanceStatus.Configuring, CloudInstanceId: { } cloudId, Backend: { } backend })
        {
            return StepOutcome.Done;
        }

        CloudMachine? machine;
        TimeSpan? deferBy = null;
        CloudProviderException? seen = null;
        CloudProviderException? refused = null;
        try
        {
            machine = await providers.ForBackend(backend).DescribeAsync(current.Region, cloudId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.AskedToWait is { } wait)
        {
            // Not an answer about the machine: look again once the cloud (or our breaker) allows.
            machine = StillPending(current, cloudId);
            deferBy = wait;
            seen = error;
        }
        catch (CloudProviderException error) when (error.IsRetryable && !attempt.IsLast)
        {
            return StepOutcome.Retry(error);
        }
        catch (CloudProviderException error) when (error.IsRetryable)
        {
            // Out of retries for this look, not for the instance: look again later (the stuck limit bounds it).
            logger.InstanceNotDescribed(error, instanceId);
            machine = StillPending(current, cloudId);
            seen = error;
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            // The cloud does not know the machine: the same answer as an empty describe, judged by the grace period.
            machine = null;
        }
        catch (CloudProviderException error)
        {
            // Refused (permissions, quota, a malformed call): looking again gives the same answer, and waiting for the
            // stuck limit would hide the cloud's words behind a timeout. The instance fails now, with them.
            logger.DescribeRefused(error, instanceId);
            machine = null;
            refused = error;
        }

        if (LateCapacityFailover.Applies(current, machine) && await lateCapacity.TryAsync(current, machine!, cancellationToken))
        {
            return StepOutcome.Done;
        }

        var settings = lifecycle.Value;
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status is not (InstanceStatus.Provisioning or InstanceStatus.Configuring))
            {
                return false;
            }

            if (seen is not null)
            {
                instance.RecordCloudError(seen.ToFailureReason(), now);
            }

            if (refused is not null)
            {
                // The machine may run and bill: entering Failed schedules the terminate step, which releases it.
                instance.RecordCloudError(refused.ToFailureReason(), now);
                instance.MarkFailed(refused.ToFailureReason(), now);
                return true;
            }

            var lookAgain = new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id,
                deferBy is { } wait ? now + wait : ReadinessRules.NextLook(instance, now, settings));
            switch (machine?.State)
            {
                case null when now - (instance.LaunchRequestedAt ?? now) < settings.NotFoundGracePeriod:
                    work.Add(lookAgain);
                    break;
                case null:
                    instance.MarkFailed($"NotFound: the cloud no longer knows machine {cloudId}", now, machineGone: true);
                    break;
                case CloudMachineState.Failed:
                    // Billed until released: entering Failed schedules the terminate step, which deletes what the
                    // cloud holds and records the release.
                    instance.MarkFailed(machine.Failure?.ToFailureReason() ?? $"Failed: the cloud gave up on machine {cloudId}", now);
                    break;
                case CloudMachineState.ShuttingDown or CloudMachineState.Terminated:
                    instance.MarkFailed($"Terminated: the cloud stopped machine {cloudId} before it was ready", now, machineGone: true);
                    break;
                default:
                    if (!ReadinessRules.Advance(instance, machine, now))
                    {
                        work.Add(lookAgain);
                    }

                    break;
            }

            return true;
        }, cancellationToken);
        return StepOutcome.Done;
    }

    private static CloudMachine StillPending(Instance instance, string cloudId) =>
        new(cloudId, CloudMachineState.Pending, instance.InstanceType, instance.Region, null, null, default, instance.Id);
}
