using Microsoft.Extensions.Logging;
using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Places an interrupted instance that asked for relaunch again, by the failover rules: the interrupted offering goes into
/// backoff for every process as a capacity refusal does (a cloud that reclaimed a spot machine has no capacity there now),
/// then the instance moves to its plan's next usable offer (<see cref="Instance.PlaceForRelaunch"/>) and its launch is
/// scheduled in the same transaction. A request that named its machine relaunches on the same offer, not put in backoff
/// (it has no other). Running it twice is harmless: the second run finds no relaunch pending and does nothing.
/// </summary>
public sealed class RelaunchInstance(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    UnavailableOfferings unavailable,
    BillingRules billing,
    ILogger<RelaunchInstance> logger) : IInstanceStep
{
    public async Task<StepOutcome> RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        var found = await updater.ReadAsync(instanceId, cancellationToken);
        if (found is not { Status: InstanceStatus.Provisioning, RelaunchPending: true })
        {
            return StepOutcome.Done;
        }

        var interrupted = found.CurrentOffer.Offering;
        if (found.PlacementPlan is not null)
        {
            var reason = found.Machines.Count > 0 ? found.Machines[^1].EndReason : "interrupted";
            await unavailable.MarkAsync(interrupted, $"interrupted: {reason}", cancellationToken);
        }

        var skip = (await unavailable.ActiveAsync(cancellationToken)).Select(u => u.Offering).ToHashSet();
        var offer = await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            // Stopped (or failed) meanwhile, or placed by an earlier run: nothing is left to place.
            if (instance is not { Status: InstanceStatus.Provisioning, RelaunchPending: true })
            {
                return null;
            }

            var next = instance.PlaceForRelaunch(skip, p => providers.ForRequested(p).Name, billing.For, now);
            work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, now));
            return next;
        }, cancellationToken);

        if (offer is not null)
        {
            logger.Relaunching(instanceId, interrupted, offer.Offering);
        }

        return StepOutcome.Done;
    }
}
