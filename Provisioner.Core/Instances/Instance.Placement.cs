using Provisioner.Core.Billing;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Instances;

/// <summary>Placement: where the instance is launched, and the move to the next offer when a cloud has no capacity.</summary>
public sealed partial class Instance
{
    private readonly List<LaunchAttempt> _launchAttempts = [];

    /// <summary>The placer's plan when the request stated needs; null for a request that named its machine exactly.</summary>
    public PlacementPlan? PlacementPlan { get; private set; }

    /// <summary>Which offer of the plan the launch is on, from 1 (always 1 without a plan). Part of the launch's token.</summary>
    public int LaunchAttemptNumber { get; private set; } = 1;

    /// <summary>The attempts recorded by this load of the instance (new ones only: read the log for all of them).</summary>
    public IReadOnlyList<LaunchAttempt> LaunchAttempts => _launchAttempts;

    /// <summary>The offer the launch is on now, as stored on the instance.</summary>
    public PlannedOffer CurrentOffer => new(Provider, InstanceType, Region, SpotMaxPrice is not null, GpuCount, SpotMaxPrice ?? CostPerHourAsPlanned);

    /// <summary>What the budget holds against the instance per hour: the request's ceiling (or its plan's dearest offer) when it stated needs.</summary>
    public decimal WorstCasePricePerHour => PlacementPlan is { } plan ? Math.Max(plan.WorstPricePerHour, CostPerHour) : CostPerHour;

    private decimal CostPerHourAsPlanned =>
        PlacementPlan is { Offers.Count: > 0 } plan ? plan.Offers[OfferIndex].PricePerHour : CostPerHour;

    /// <summary>Where the launch is in the plan: attempts go on numbering across rounds of waiting for capacity.</summary>
    private int OfferIndex => (LaunchAttemptNumber - 1) % OffersPerRound;

    /// <summary>The cloud accepted the launch on the current offer.</summary>
    public void RecordLaunchAttempt(LaunchAttemptOutcome outcome, string? detail, DateTimeOffset now) =>
        _launchAttempts.Add(new LaunchAttempt(Id, LaunchAttemptNumber, CurrentOffer, outcome, detail, now));

    /// <summary>
    /// The cloud had no capacity for the current offer: records the refusal and moves the launch to the next offer of
    /// the plan, skipping those <paramref name="unavailable"/> now. The price, billing rule and backend follow the offer.
    /// </summary>
    /// <param name="backendFor">The adapter that serves a provider, recorded as the backend before the next launch.</param>
    /// <returns>The next offer, or null when the plan is exhausted (the instance is then still Provisioning: see <see cref="FailExhausted"/>).</returns>
    /// <exception cref="InvalidTransitionException">The instance is not Provisioning.</exception>
    public PlannedOffer? FailOver(
        string refusal,
        IReadOnlySet<Offering> unavailable,
        Func<CloudProviderName, string> backendFor,
        Func<CloudProviderName, BillingRule> billingFor,
        DateTimeOffset now,
        LaunchAttemptOutcome outcome = LaunchAttemptOutcome.Refused)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        if (CloudInstanceId is not null)
        {
            throw new InvalidOperationException($"Instance {Id} already has machine {CloudInstanceId}: there is nothing to fail over.");
        }

        RecordLaunchAttempt(outcome, refusal, now);
        var offers = PlacementPlan?.Offers ?? [];
        while (OfferIndex + 1 < offers.Count)
        {
            var next = offers[OfferIndex + 1];
            LaunchAttemptNumber++;
            PlaceOn(next, backendFor(next.Provider), billingFor(next.Provider), now);
            if (!unavailable.Contains(next.Offering))
            {
                return next;
            }

            RecordLaunchAttempt(LaunchAttemptOutcome.Skipped, "marked unavailable after a recent capacity refusal", now);
        }

        return null;
    }

    /// <summary>Whether the plan holds offers after the current one.</summary>
    public bool HasFallbackOffers => PlacementPlan is { } plan && OfferIndex + 1 < plan.Offers.Count;

    /// <summary>
    /// The cloud accepted the launch and then gave up on the machine for lack of capacity (Azure's late
    /// <c>AllocationFailed</c>, say), and the caller has had the machine deleted: the machine is forgotten (it never
    /// served the client, and a cloud does not bill an allocation it could not make) and the launch fails over as if
    /// the offer had been refused at once.
    /// </summary>
    /// <returns>The next offer, or null when the plan is exhausted (see <see cref="FailExhausted"/>).</returns>
    public PlannedOffer? FailOverAfterAcceptance(
        string refusal,
        IReadOnlySet<Offering> unavailable,
        Func<CloudProviderName, string> backendFor,
        Func<CloudProviderName, BillingRule> billingFor,
        DateTimeOffset now)
    {
        EnsureStatus(InstanceStatus.Provisioning);
        CloudInstanceId = null;
        LaunchedAt = null;
        PublicIp = null;
        PrivateIp = null;
        Metadata = new Dictionary<string, string>();
        TotalCost = EarlierMachinesCost;
        return FailOver(refusal + " (after the launch was accepted)", unavailable, backendFor, billingFor, now);
    }

    /// <summary>Every allowed offer was tried: fails the instance with what each attempt met. No machine was started.</summary>
    /// <param name="attempts">Every attempt, those stored before this load and the ones recorded on it.</param>
    public void FailExhausted(IEnumerable<LaunchAttempt> attempts, DateTimeOffset now)
    {
        var all = attempts.OrderBy(a => a.Number).ThenBy(a => a.At).ToList();
        // One offer (a request that named its machine): the cloud's own words, as before plans existed.
        var reason = all.Count == 1
            ? all[0].Detail ?? all[0].ToString()
            : $"every allowed offer was tried ({all.Count}): {string.Join("; ", all.Select(a => a.ToString()))}";
        // Kept within the column; the attempts themselves are all in the log.
        MarkFailed(reason.Length <= 2000 ? reason : reason[..1997] + "...", now, machineGone: true);
    }

    private void PlaceOn(PlannedOffer offer, string backend, BillingRule billing, DateTimeOffset now)
    {
        Provider = offer.Provider;
        Backend = backend;
        InstanceType = offer.InstanceType;
        Region = offer.Region;
        GpuCount = offer.GpuCount;
        SpotMaxPrice = offer.Spot ? offer.PricePerHour : null;
        CostPerHour = offer.PricePerHour;
        CostIsEstimate = offer.Spot;
        BillingIncrementSeconds = billing.IncrementSeconds;
        BillingMinimumSeconds = billing.MinimumSeconds;
        BillingStopsAt = billing.StopsAt;
        UpdatedAt = now;
    }
}
