using System.Globalization;
using Provisioner.Core.Billing;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Instances;

/// <summary>
/// Relaunch after an interruption: the lost machine is kept with what it was billed (<see cref="Machines"/>), the instance
/// moves back to Provisioning with no machine, and two tracked steps follow: the relaunch places it on its plan's next
/// usable offer (<see cref="PlaceForRelaunch"/>) and schedules the launch; the release terminates the lost machine if the
/// cloud still holds it (<see cref="RecordMachineReleased"/>). Both are idempotent and re-driven by the sweep.
/// </summary>
public sealed partial class Instance
{
    /// <summary>The machines the instance lost to interruptions and was relaunched from, in order; the current one is not among them.</summary>
    public IReadOnlyList<InstanceMachine> Machines { get; private set; } = [];

    /// <summary>What the <see cref="Machines"/> were billed, in total: added to the current machine's charge in every cost figure.</summary>
    public decimal EarlierMachinesCost { get; private set; }

    /// <summary>Set when an interruption moved the instance back to Provisioning, until the relaunch step has placed it: no launch happens before.</summary>
    public bool RelaunchPending { get; private set; }

    /// <summary>Whether a machine lost to an interruption may still be held by the cloud (the release step's work).</summary>
    public bool HasUnreleasedMachines => Machines.Any(m => m.ReleasedAt is null);

    /// <summary>Whether <paramref name="cloudInstanceId"/> is a machine this instance lost and relaunched from (never to be adopted again).</summary>
    public bool IsEarlierMachine(string cloudInstanceId) => Machines.Any(m => m.CloudInstanceId == cloudInstanceId);

    /// <summary>
    /// Chooses the offer of the relaunch: the plan's next offer (after the interrupted one, wrapping round) not in
    /// <paramref name="unavailable"/>, so a reclaimed spot offer gives way to the on-demand one after it; the next offer
    /// anyway when every one is unavailable; the same offer for a request that named its machine. The launch number
    /// always grows, so the new launch's token differs from every earlier one and a re-run finds this launch's machine only.
    /// </summary>
    /// <exception cref="InvalidTransitionException">The instance is not Provisioning.</exception>
    public PlannedOffer PlaceForRelaunch(
        IReadOnlySet<Offering> unavailable, Func<CloudProviderName, string> backendFor, Func<CloudProviderName, BillingRule> billingFor, DateTimeOffset now)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        if (!RelaunchPending)
        {
            throw new InvalidOperationException($"Instance {Id} awaits no relaunch.");
        }

        var offers = OffersOfARound;
        var round = offers.Count;
        var from = OfferIndex;
        var next = Enumerable.Range(1, round).Select(step => (from + step) % round)
            .Where(index => !unavailable.Contains(offers[index].Offering))
            .Select(index => (int?)index)
            .FirstOrDefault() ?? (from + 1) % round;
        var advance = (next - from + round) % round;
        LaunchAttemptNumber += advance == 0 ? round : advance;
        var offer = offers[next];
        if (PlacementPlan is not null)
        {
            PlaceOn(offer, backendFor(offer.Provider), billingFor(offer.Provider), now);
        }
        else
        {
            // The same offer; a spot machine is billed at its ceiling again until the cloud reports the new one's price.
            CostPerHour = SpotMaxPrice ?? CostPerHour;
            CostIsEstimate = SpotMaxPrice is not null;
        }

        RelaunchPending = false;
        TotalCost = CostAt(now);
        UpdatedAt = now;
        return CurrentOffer;
    }

    /// <summary>The cloud confirmed an earlier machine gone: its release is done.</summary>
    public void RecordMachineReleased(string cloudInstanceId, DateTimeOffset now)
    {
        if (Machines.All(m => m.CloudInstanceId != cloudInstanceId || m.ReleasedAt is not null))
        {
            return;
        }

        Machines = [.. Machines.Select(m => m.CloudInstanceId == cloudInstanceId && m.ReleasedAt is null ? m with { ReleasedAt = now } : m)];
        UpdatedAt = now;
    }

    /// <summary>Keeps the lost machine with its bill, forgets it as the current one and moves back to Provisioning.</summary>
    private void Relaunch(string cloudsWords, DateTimeOffset endedAt, bool machineGone, DateTimeOffset now)
    {
        // Kept within the timeline's columns (2000 characters) with the relaunch's own words after them.
        var reason = cloudsWords.Length <= 1800 ? cloudsWords : cloudsWords[..1797] + "...";
        var billed = Billing.BilledSeconds(endedAt - LaunchedAt!.Value);
        var cost = Billing.Charge(CostPerHour, endedAt - LaunchedAt.Value);
        RecordLaunchAttempt(LaunchAttemptOutcome.Interrupted, reason, now);
        Machines =
        [
            .. Machines,
            new InstanceMachine(Machines.Count + 1, CloudInstanceId!, Backend, Provider, InstanceType, Region, SpotMaxPrice is not null, GpuCount,
                CostPerHour, LaunchedAt.Value, ReadyAt, endedAt, billed, cost, reason, machineGone ? now : null),
        ];
        EarlierMachinesCost += cost;
        CloudInstanceId = null;
        // The intent is the new machine's, written again before its launch: the grace periods measure from it.
        LaunchRequestedAt = null;
        LaunchedAt = null;
        ReadyAt = null;
        LastHeartbeatAt = null;
        PublicIp = null;
        PrivateIp = null;
        Metadata = new Dictionary<string, string>();
        RelaunchPending = true;
        MoveTo(InstanceStatus.Provisioning, string.Create(CultureInfo.InvariantCulture,
            $"{InterruptedClass}: {reason}; relaunching on a new machine (interruption {InterruptionCount} of {MaxInterruptions})"), now);
    }
}
