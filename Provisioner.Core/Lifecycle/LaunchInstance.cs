using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Asks the cloud for an instance's machine. Writes the intent first, launches with a token derived from
/// the instance id and the offer (so a re-run can never start a second machine), then records the machine and
/// schedules the look that waits for it to be ready. A capacity refusal moves the launch to the next offer of the
/// instance's placement plan (<see cref="Instance.FailOver"/>); only when none is left does the instance fail.
/// </summary>
public sealed class LaunchInstance(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    OfferFailover failover,
    ILogger<LaunchInstance> logger) : IInstanceStep
{
    Task<StepOutcome> IInstanceStep.RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken) =>
        RunAsync(instanceId, attempt, cancellationToken);

    /// <param name="attempt">On the last one a retryable cloud failure fails the instance instead of asking for a retry.</param>
    public async Task<StepOutcome> RunAsync(Guid instanceId, WorkAttempt attempt, CancellationToken cancellationToken)
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
            return new LaunchPlan(provider, instance.CurrentOffer.Offering, instance.LaunchAttemptNumber, new LaunchSpec(
                instance.Id, LaunchTokens.For(instance.Id, instance.LaunchAttemptNumber), instance.Owner, instance.InstanceType, instance.Region,
                instance.DiskSizeGB, instance.Tags, instance.AutoTerminateAt, instance.SpotMaxPrice, instance.UserData,
                instance.GpuCount, instance.Template));
        }, cancellationToken);

        if (plan is null)
        {
            return StepOutcome.Done;
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
            return StepOutcome.Done;
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.InsufficientCapacity)
        {
            // Not retried in place: capacity errors change the plan.
            await FailOverAsync(instanceId, plan, error, cancellationToken);
            return StepOutcome.Done;
        }
        catch (CloudProviderException error) when (error.IsRetryable && !attempt.IsLast)
        {
            return StepOutcome.Retry(error);
        }
        catch (CloudProviderException error)
        {
            logger.LogWarning(error, "Launch of instance {InstanceId} failed for good", instanceId);
            await updater.UpdateAsync(instanceId, (instance, now, work) =>
            {
                if (instance.Status == InstanceStatus.Provisioning && instance.LaunchAttemptNumber == plan.Attempt)
                {
                    instance.RecordLaunchAttempt(LaunchAttemptOutcome.Failed, error.ToFailureReason(), now);
                    // A retryable failure may have reached the cloud before its answer was lost: entering Failed
                    // schedules the terminate step, which makes sure.
                    instance.MarkFailed(error.ToFailureReason(), now);
                }

                return true;
            }, cancellationToken);
            return StepOutcome.Done;
        }

        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.CloudInstanceId is null && instance.Status == InstanceStatus.Provisioning)
            {
                instance.RecordLaunchAttempt(LaunchAttemptOutcome.Launched, null, now);
            }

            instance.RecordLaunch(machine.CloudInstanceId, machine.LaunchedAt, now, machine.SpotPricePerHour);
            if (instance.Status != InstanceStatus.Provisioning)
            {
                // Stopped (or failed) while we launched: the machine exists now, so stop it now.
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            }
            else if (!ReadinessRules.Advance(instance, machine, now))
            {
                // The first look comes at once; later ones back off (ReadinessRules.NextLook).
                work.Add(new InstanceWork(InstanceWorkKind.AwaitReady, instance.Id, now));
            }

            return true;
        }, cancellationToken);
        logger.LogInformation("Instance {InstanceId} launched as {CloudInstanceId} on {Backend}",
            instanceId, machine.CloudInstanceId, plan.Provider.Name);
        return StepOutcome.Done;
    }

    /// <summary>Moves the instance to its next offer (or fails it, the plan spent): see <see cref="OfferFailover"/>.</summary>
    private async Task FailOverAsync(Guid instanceId, LaunchPlan plan, CloudProviderException error, CancellationToken cancellationToken)
    {
        // A stop that came meanwhile owns the instance; a second run of this step already moved it on.
        var next = await failover.MoveOnAsync(instanceId, plan.Offering, error.ToFailureReason(),
            instance => instance.Status == InstanceStatus.Provisioning && instance.CloudInstanceId is null && instance.LaunchAttemptNumber == plan.Attempt,
            (instance, refusal, skip, backendFor, billingFor, now) => instance.FailOver(refusal, skip, backendFor, billingFor, now),
            cancellationToken);
        if (next is null)
        {
            logger.LogWarning("Launch of instance {InstanceId} failed: no capacity on any allowed offer (last: {Offering})", instanceId, plan.Offering);
        }
        else
        {
            logger.LogInformation("Instance {InstanceId}: no capacity on {Refused}; failing over to {Next}", instanceId, plan.Offering, next);
        }
    }

    private sealed record LaunchPlan(ICloudProvider Provider, Offering Offering, int Attempt, LaunchSpec Spec);
}
