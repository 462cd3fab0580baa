using Microsoft.Extensions.Options;
using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// What a capacity refusal does, wherever it is met (at launch, or after the cloud accepted it): the refused offering
/// goes into backoff for every process, then the instance moves to its next offer and is launched again at once; with
/// the plan spent it waits for capacity while its request allows (launched again from its first offer when the
/// offerings' backoff ends), and otherwise fails listing every attempt.
/// </summary>
public sealed class OfferFailover(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    UnavailableOfferings unavailable,
    LaunchAttemptLog attempts,
    BillingRules billing,
    IOptions<PlacementOptions> placement)
{
    /// <param name="stillOurs">Whether the instance is still as the caller found it; if not, whoever changed it owns it.</param>
    /// <param name="moveOn">The instance's own move: <see cref="Instance.FailOver"/> or <see cref="Instance.FailOverAfterAcceptance"/>.</param>
    /// <param name="refusedNow">
    /// False when the offering was not asked at all because it is still in backoff after another launch's refusal: it
    /// is skipped, not refused again (its backoff does not grow).
    /// </param>
    /// <returns>The offer launched next; null when the plan is spent (waiting or failed) or the instance was no longer ours.</returns>
    public async Task<PlannedOffer?> MoveOnAsync(
        Guid instanceId,
        Offering refused,
        string refusal,
        Func<Instance, bool> stillOurs,
        Func<Instance, string, IReadOnlySet<Offering>, Func<CloudProviderName, string>, Func<CloudProviderName, BillingRule>, DateTimeOffset, PlannedOffer?> moveOn,
        CancellationToken cancellationToken,
        bool refusedNow = true)
    {
        if (refusedNow)
        {
            await unavailable.MarkAsync(refused, refusal, cancellationToken);
        }

        var backoff = await unavailable.ActiveAsync(cancellationToken);
        var skip = backoff.Select(u => u.Offering).ToHashSet();
        // Earlier attempts, read before the write: only the launch steps append them, one offer at a time.
        var earlier = await attempts.ForAsync(instanceId, cancellationToken);
        return await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (!stillOurs(instance))
            {
                return null;
            }

            var offer = moveOn(instance, refusal, skip, p => providers.ForRequested(p).Name, billing.For, now);
            if (offer is not null)
            {
                work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, now));
            }
            else if (instance.MayWaitForCapacity(now))
            {
                // Tried again when the first of the round's offerings leaves its backoff: capacity may be back there.
                var round = instance.OffersOfARound.Select(o => o.Offering).ToHashSet();
                var ends = backoff.Where(u => round.Contains(u.Offering) && u.Until > now).Select(u => u.Until).ToList();
                var nextTry = ends.Count > 0 ? ends.Min() : now + placement.Value.BackoffInitial;
                var at = instance.WaitForCapacity(nextTry, p => providers.ForRequested(p).Name, billing.For, now);
                work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, at));
            }
            else
            {
                instance.FailExhausted([.. earlier, .. instance.LaunchAttempts], now);
                // Nothing is running that we know of, but a look costs little and a machine left running costs a lot.
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            }

            return offer;
        }, cancellationToken);
    }

    /// <summary>The wait for capacity ran out before capacity came back: fails the instance listing every attempt.</summary>
    public async Task ExpireWaitAsync(Guid instanceId, int attempt, CancellationToken cancellationToken)
    {
        var earlier = await attempts.ForAsync(instanceId, cancellationToken);
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status != InstanceStatus.Provisioning || instance.CloudInstanceId is not null || instance.LaunchAttemptNumber != attempt)
            {
                return false;
            }

            instance.FailExhausted(earlier, now);
            work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            return true;
        }, cancellationToken);
    }
}
