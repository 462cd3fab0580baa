using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// What a capacity refusal does, wherever it is met (at launch, or after the cloud accepted it): the refused offering
/// is marked unavailable for every process, then the instance moves to its next offer and is launched again at once,
/// or, with the plan spent, fails listing every attempt.
/// </summary>
public sealed class OfferFailover(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    UnavailableOfferings unavailable,
    LaunchAttemptLog attempts,
    BillingRules billing)
{
    /// <param name="stillOurs">Whether the instance is still as the caller found it; if not, whoever changed it owns it.</param>
    /// <param name="moveOn">The instance's own move: <see cref="Instance.FailOver"/> or <see cref="Instance.FailOverAfterAcceptance"/>.</param>
    /// <returns>The offer launched next; null when the plan is spent or the instance was no longer ours.</returns>
    public async Task<PlannedOffer?> MoveOnAsync(
        Guid instanceId,
        Offering refused,
        string refusal,
        Func<Instance, bool> stillOurs,
        Func<Instance, string, IReadOnlySet<Offering>, Func<CloudProviderName, string>, Func<CloudProviderName, BillingRule>, DateTimeOffset, PlannedOffer?> moveOn,
        CancellationToken cancellationToken)
    {
        await unavailable.MarkAsync(refused, refusal, cancellationToken);
        var skip = (await unavailable.ActiveAsync(cancellationToken)).Select(u => u.Offering).ToHashSet();
        // Earlier attempts, read before the write: only the launch steps append them, one offer at a time.
        var earlier = await attempts.ForAsync(instanceId, cancellationToken);
        return await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (!stillOurs(instance))
            {
                return null;
            }

            var offer = moveOn(instance, refusal, skip, p => providers.ForRequested(p).Name, billing.For, now);
            if (offer is null)
            {
                instance.FailExhausted([.. earlier, .. instance.LaunchAttempts], now);
                // Nothing is running that we know of, but a look costs little and a machine left running costs a lot.
                work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            }
            else
            {
                work.Add(new InstanceWork(InstanceWorkKind.Create, instance.Id, now));
            }

            return offer;
        }, cancellationToken);
    }
}
