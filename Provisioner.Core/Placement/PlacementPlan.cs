namespace Provisioner.Core.Placement;

/// <summary>
/// What the placer chose for a request that stated needs: the offers it may launch on, best first. The first is where
/// the instance starts; a capacity refusal moves the launch down the list, never outside it.
/// </summary>
/// <param name="MaxPricePerHour">The request's ceiling, when it stated one: the budget's worst case for the instance.</param>
public sealed record PlacementPlan(decimal? MaxPricePerHour, IReadOnlyList<PlannedOffer> Offers)
{
    /// <summary>The most the instance may cost per hour, whichever offer it ends on.</summary>
    public decimal WorstPricePerHour => MaxPricePerHour ?? Offers.Max(o => o.PricePerHour);
}
