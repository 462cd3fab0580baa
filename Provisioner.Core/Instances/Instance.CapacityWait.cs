using Provisioner.Core.Placement;

namespace Provisioner.Core.Instances;

/// <summary>
/// Waiting for capacity: a request that may wait (<see cref="InstanceSpec.CapacityWaitMinutes"/>) whose every offer was
/// refused stays Provisioning, says so, and is launched again from its first offer when capacity may have returned,
/// until <see cref="CapacityWaitUntil"/>. Any other move (a stop, the deadline, a budget) ends the wait with it.
/// </summary>
public sealed partial class Instance
{
    /// <summary>The value of <see cref="WaitingFor"/> while every offer is refused for capacity.</summary>
    public const string WaitingForCapacity = "capacity";

    /// <summary>Until when the request may wait for capacity; null when it may not (the instance fails as its plan is spent).</summary>
    public DateTimeOffset? CapacityWaitUntil { get; private set; }

    /// <summary>What the instance waits for while Provisioning (<see cref="WaitingForCapacity"/>); null when it is not waiting.</summary>
    public string? WaitingFor { get; private set; }

    /// <summary>When the launch is tried again while waiting.</summary>
    public DateTimeOffset? NextTryAt { get; private set; }

    /// <summary>How many offers one round of the launch walks: the plan's, or the one machine a request named.</summary>
    public int OffersPerRound => PlacementPlan is { Offers.Count: > 0 } plan ? plan.Offers.Count : 1;

    /// <summary>The offers a round tries, in order (what a waiting instance has been refused on).</summary>
    public IReadOnlyList<PlannedOffer> OffersOfARound => PlacementPlan is { Offers.Count: > 0 } plan ? plan.Offers : [CurrentOffer];

    /// <summary>Whether a spent round may wait for capacity instead of failing: the wait has not run out.</summary>
    public bool MayWaitForCapacity(DateTimeOffset now) => CapacityWaitUntil is { } until && now < until;

    /// <summary>
    /// Every offer of the round was refused for capacity and the request may still wait: stays Provisioning, waiting,
    /// and moves to the next round's first offer (with a launch number, so a token, of its own) to be tried at
    /// <paramref name="nextTry"/> (never after the wait ends). Recorded on the timeline as a Provisioning → Provisioning
    /// event, which webhooks send as <c>instance.waiting</c>.
    /// </summary>
    /// <returns>When the launch is tried again.</returns>
    /// <exception cref="InvalidTransitionException">The instance is not Provisioning.</exception>
    public DateTimeOffset WaitForCapacity(DateTimeOffset nextTry, Func<CloudProviderName, string> backendFor, Func<CloudProviderName, Billing.BillingRule> billingFor, DateTimeOffset now)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        var until = CapacityWaitUntil ?? now;
        var at = nextTry < until ? nextTry : until;
        var first = OffersOfARound[0];
        LaunchAttemptNumber++;
        if (PlacementPlan is { Offers.Count: > 0 })
        {
            PlaceOn(first, backendFor(first.Provider), billingFor(first.Provider), now);
        }

        WaitingFor = WaitingForCapacity;
        NextTryAt = at;
        UpdatedAt = now;
        _events.Add(new InstanceEvent(Id, InstanceStatus.Provisioning, InstanceStatus.Provisioning, now,
            $"waiting for capacity: every offer was refused ({OffersPerRound}); next try at {at:O}, waiting until {until:O}"));
        return at;
    }

    /// <summary>The launch is tried again after a wait: the instance is no longer waiting (until refused again).</summary>
    public void ResumeAfterWait(DateTimeOffset now)
    {
        WaitingFor = null;
        NextTryAt = null;
        UpdatedAt = now;
    }
}
