using Microsoft.Extensions.Options;

namespace Provisioner.Core.Placement;

/// <summary>
/// Turns a request's needs into a plan at create time: the ranked offers (cheapest fitting first, what a cloud refused
/// lately last), capped at <see cref="PlacementOptions.MaxOffers"/> so a request never walks the whole catalog.
/// </summary>
public sealed class Placer(OfferRanker ranker, UnavailableOfferings unavailable, LivePriceBook prices, IOptions<PlacementOptions> options)
{
    /// <exception cref="NoOfferException">Nothing fits (or nothing fits within the price).</exception>
    public async Task<PlacementPlan> PlanAsync(PlacementRequest request, CancellationToken cancellationToken)
    {
        var ranked = ranker.Rank(request, await unavailable.ActiveAsync(cancellationToken), await prices.ReadAsync(cancellationToken));
        if (ranked.Count == 0)
        {
            var overPrice = request.MaxPricePerHour is not null && ranker.Rank(request with { MaxPricePerHour = null }, []).Count > 0;
            throw new NoOfferException(request, overPrice);
        }

        return new PlacementPlan(request.MaxPricePerHour, [.. ranked.Take(options.Value.MaxOffers).Select(PlannedOffer.From)]);
    }
}
