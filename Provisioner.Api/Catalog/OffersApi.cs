using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;

namespace Provisioner.Api.Catalog;

/// <summary>
/// <c>/api/offers</c>: the offers a request stating its needs would be placed on, ranked as the placer ranks them
/// (cheapest fitting first), with their prices and what is currently skipped after a capacity refusal.
/// </summary>
public static class OffersApi
{
    /// <summary>
    /// What any tenant is told of an offering marked after a capacity refusal: the state only. The cloud's words
    /// belong to the launch that met them (its tenant reads them in <c>/attempts</c>); for the simulated cloud they
    /// even count other tenants' machines ("N of M in use").
    /// </summary>
    public const string RecentlyRefused = "The cloud refused capacity for this offer recently.";

    public static IEndpointRouteBuilder MapOffersApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/offers", ListAsync)
            .WithTags("Catalog")
            .RequireAuthorization(Policies.AnyKey)
            .WithName("ListOffers")
            .WithSummary("Ranked offers for a GPU model and count under a price ceiling, across providers, with what is marked unavailable.");
        return endpoints;
    }

    private static async Task<Results<Ok<OffersEnvelope>, ProblemHttpResult>> ListAsync(
        string? gpu, int? count, int? minGpuMemoryGiB, decimal? maxPricePerHour, string? providers, string? regions, string? spot,
        OfferRanker ranker, UnavailableOfferings unavailable, LivePriceBook prices, InstanceTypeCatalog catalog, CancellationToken cancellationToken)
    {
        if (count is < 1 or > 8)
        {
            return ApiProblems.InvalidQuery("count", ProblemCodes.OutOfRange, "count must be between 1 and 8.");
        }

        if (maxPricePerHour is <= 0)
        {
            return ApiProblems.InvalidQuery("maxPricePerHour", ProblemCodes.OutOfRange, "maxPricePerHour must be positive.");
        }

        HashSet<CloudProviderName>? allowed = null;
        if (providers is not null)
        {
            allowed = [];
            foreach (var name in providers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var known = catalog.Providers.Where(p => CreateInstanceRequestValidator.ProviderName(p) == name).ToList();
                if (known.Count == 0)
                {
                    return ApiProblems.InvalidQuery("providers", ProblemCodes.UnknownProvider,
                        $"Unknown provider. Use some of: {string.Join(", ", catalog.Providers.Select(CreateInstanceRequestValidator.ProviderName).Order())}.");
                }

                allowed.Add(known[0]);
            }
        }

        SpotPreference market = SpotPreference.Never;
        if (spot is not null && !EnumValue.TryParse(spot, out market))
        {
            return ApiProblems.InvalidQuery("spot", ProblemCodes.InvalidValue, "spot must be one of: never, preferred, required.");
        }

        var request = new PlacementRequest(gpu, count ?? 1, minGpuMemoryGiB, maxPricePerHour, allowed,
            regions?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal), market);
        var ranked = ranker.Rank(request, await unavailable.ActiveAsync(cancellationToken), await prices.ReadAsync(cancellationToken));
        if (ranked.Count == 0 && maxPricePerHour is { } ceiling
            && ranker.Rank(request with { MaxPricePerHour = null }, []).Count > 0)
        {
            return ApiProblems.NoOfferWithinPrice(ceiling);
        }

        var offers = ranked.Select(o => new OfferResponse(
            CreateInstanceRequestValidator.ProviderName(o.Offering.Provider), o.Offering.InstanceType, o.Offering.Region,
            o.Offering.Spot ? "spot" : "on-demand", o.Type.Gpu.Model, o.GpuCount, o.Type.Gpu.MemoryGiB / o.Type.Gpu.Count,
            Money.Normalize(o.PricePerHour), o.IsAvailable, o.Unavailable?.Until, UnavailableReason(o))).ToList();
        return TypedResults.Ok(new OffersEnvelope(true, offers, offers.Count));
    }

    // Out of stock is the cloud's public product list (marked until MaxValue, for as long as it says so): shown as is.
    private static string? UnavailableReason(RankedOffer offer) => offer.Unavailable switch
    {
        null => null,
        { Until: var until } when until == DateTimeOffset.MaxValue => offer.Unavailable.Reason,
        _ => RecentlyRefused,
    };
}

/// <param name="GpuMemoryGiB">Per GPU.</param>
/// <param name="UnavailableUntil">When a capacity refusal stops being remembered; null when the offer is available.</param>
public sealed record OfferResponse(
    string Provider, string InstanceType, string Region, string Market, string GpuModel, int GpuCount, int GpuMemoryGiB,
    decimal PricePerHour, bool Available, DateTimeOffset? UnavailableUntil, string? UnavailableReason);

public sealed record OffersEnvelope(bool Success, IReadOnlyList<OfferResponse> Offers, int Count);
