using Microsoft.Extensions.Logging;
using Provisioner.Core.Catalog.Check;
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
    UnavailableOfferings backoff,
    CatalogSpellings spellings,
    ILogger<LaunchInstance> logger) : IInstanceStep
{
    Task<StepOutcome> IInstanceStep.RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken) =>
        RunAsync(instanceId, attempt, cancellationToken);

    /// <param name="attempt">On the last one a retryable cloud failure fails the instance instead of asking for a retry.</param>
    public async Task<StepOutcome> RunAsync(Guid instanceId, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        var plan = await updater.UpdateAsync(instanceId, (instance, now, _) =>
        {
            // Only a Provisioning instance is launched; a stop that came first wins and the terminate step owns it. A relaunch
            // is placed first (RelaunchInstance), which then schedules this launch.
            if (instance.Status != InstanceStatus.Provisioning || instance.CloudInstanceId is not null || instance.RelaunchPending)
            {
                return null;
            }

            var resumed = instance.WaitingFor is not null;
            if (resumed && !instance.MayWaitForCapacity(now))
            {
                return new LaunchPlan(null!, instance.CurrentOffer.Offering, instance.LaunchAttemptNumber, null!, WaitExpired: true);
            }

            if (resumed)
            {
                instance.ResumeAfterWait(now);
            }

            var provider = instance.Backend is { } backend ? providers.ForBackend(backend) : providers.ForRequested(instance.Provider);
            instance.MarkLaunchRequested(provider.Name, now);
            return new LaunchPlan(provider, instance.CurrentOffer.Offering, instance.LaunchAttemptNumber, MayWait: instance.CapacityWaitUntil is not null, Spec: new LaunchSpec(
                instance.Id, LaunchTokens.For(instance.Id, instance.LaunchAttemptNumber), instance.Owner, instance.InstanceType, instance.Region,
                instance.DiskSizeGB, instance.Tags, instance.AutoTerminateAt, instance.SpotMaxPrice, instance.UserData,
                instance.GpuCount, instance.Template));
        }, cancellationToken);

        if (plan is null)
        {
            return StepOutcome.Done;
        }

        if (plan.WaitExpired)
        {
            logger.CapacityWaitExpired(instanceId);
            await failover.ExpireWaitAsync(instanceId, plan.Attempt, cancellationToken);
            return StepOutcome.Done;
        }

        // A request that may wait keeps off an offering in backoff after another launch's refusal (every worker does,
        // until the backoff ends): the round moves on to the next offer, or waits again. One that may not wait is
        // launched as asked, as before: a plan already ranks offerings in backoff last.
        if (plan.MayWait && (await backoff.ActiveAsync(cancellationToken)).FirstOrDefault(u => u.Offering == plan.Offering) is { } inBackoff)
        {
            await FailOverAsync(instanceId, plan, $"skipped: in backoff after a capacity refusal until {inBackoff.Until:O}", refusedNow: false, cancellationToken);
            return StepOutcome.Done;
        }

        CloudMachine machine;
        try
        {
            // The cloud's own spelling of the type when the catalog check found one (case, a known alias): the catalog's
            // name stays on the instance, the cloud is asked for the name it sells.
            var spec = plan.Spec with
            {
                InstanceType = await spellings.CloudNameAsync(plan.Offering.Provider, plan.Spec.Region, plan.Spec.InstanceType, cancellationToken),
            };
            machine = await plan.Provider.LaunchAsync(spec, cancellationToken);
        }
        catch (CloudProviderException error) when (error.AskedToWait is { } wait)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LaunchDeferred(instanceId, wait, error.ToFailureReason());
            }

            await updater.UpdateAsync(instanceId, (instance, now, work) =>
            {
                if (instance.Status == InstanceStatus.Provisioning && instance.CloudInstanceId is null)
                {
                    instance.RecordCloudError(error.ToFailureReason(), now);
                    work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, now + wait));
                }

                return true;
            }, cancellationToken);
            return StepOutcome.Done;
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.InsufficientCapacity)
        {
            // Not retried in place: capacity errors change the plan.
            await FailOverAsync(instanceId, plan, error.ToFailureReason(), refusedNow: true, cancellationToken);
            return StepOutcome.Done;
        }
        catch (CloudProviderException error) when (error.IsRetryable && !attempt.IsLast)
        {
            return StepOutcome.Retry(error);
        }
        catch (CloudProviderException error)
        {
            logger.LaunchFailed(error, instanceId);
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
            instance.RecordMetadata(machine.Metadata);
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
        // The cloud had capacity for this offering after all: its backoff (if any) ends for every process.
        await backoff.ResetAsync(plan.Offering, cancellationToken);
        logger.Launched(instanceId, machine.CloudInstanceId, plan.Provider.Name);
        return StepOutcome.Done;
    }

    /// <summary>Moves the instance to its next offer (or fails it, the plan spent): see <see cref="OfferFailover"/>.</summary>
    private async Task FailOverAsync(Guid instanceId, LaunchPlan plan, string refusal, bool refusedNow, CancellationToken cancellationToken)
    {
        // A stop that came meanwhile owns the instance; a second run of this step already moved it on.
        var outcome = refusedNow ? LaunchAttemptOutcome.Refused : LaunchAttemptOutcome.Skipped;
        var next = await failover.MoveOnAsync(instanceId, plan.Offering, refusal,
            instance => instance.Status == InstanceStatus.Provisioning && instance.CloudInstanceId is null && instance.LaunchAttemptNumber == plan.Attempt,
            (instance, reason, skip, backendFor, billingFor, now) => instance.FailOver(reason, skip, backendFor, billingFor, now, outcome),
            cancellationToken, refusedNow);
        if (next is null)
        {
            logger.NoCapacityLeft(instanceId, plan.Offering);
        }
        else
        {
            logger.FailingOver(instanceId, plan.Offering, next);
        }
    }

    /// <param name="MayWait">The request may wait for capacity (so it also keeps off offerings in backoff).</param>
    /// <param name="WaitExpired">The instance waited for capacity until its limit: nothing is launched, it fails.</param>
    private sealed record LaunchPlan(ICloudProvider Provider, Offering Offering, int Attempt, LaunchSpec Spec, bool MayWait = false, bool WaitExpired = false);
}
