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
            Money.Normalize(o.PricePerHour), o.IsAvailable, StateOf(o), StateOf(o) == "backoff" ? o.Unavailable!.Until : null, o.Unavailable?.Refusals,
            o.Unavailable is { } u ? PublicReason(u.Reason) : null)).ToList();
        return TypedResults.Ok(new OffersEnvelope(true, offers, offers.Count));
    }

    /// <summary>A backoff row's end far in the future is the ranker's mark for a cloud's own out-of-stock list.</summary>
    private static string StateOf(RankedOffer offer) => offer.Unavailable switch
    {
        null => "available",
        { Until.Year: >= 9999 } => "out-of-stock",
        _ => "backoff",
    };

    /// <summary>
    /// The refusal as any tenant may see it: its class, cloud and code ("InsufficientCapacity: AWS returned
    /// InsufficientInstanceCapacity"), not the cloud's message, which was met by another tenant's launch.
    /// </summary>
    internal static string PublicReason(string reason)
    {
        var first = reason.IndexOf(": ", StringComparison.Ordinal);
        var second = first < 0 ? -1 : reason.IndexOf(": ", first + 2, StringComparison.Ordinal);
        return second < 0 ? reason : reason[..second];
    }
}

/// <param name="GpuMemoryGiB">Per GPU.</param>
/// <param name="State"><c>available</c>; <c>backoff</c> after capacity refusals (tried again from <paramref name="UnavailableUntil"/>); <c>out-of-stock</c> in the cloud's own list (no next try time: the list is read again for each request).</param>
/// <param name="UnavailableUntil">When the offering's backoff ends and it is tried again; null when the offer is available.</param>
/// <param name="Refusals">Capacity refusals in a row behind the backoff (each doubled it); 0 when out of stock; null when available.</param>
/// <param name="UnavailableReason">The refusal's class, cloud and code; the cloud's message stays on the instance that met it.</param>
public sealed record OfferResponse(
    string Provider, string InstanceType, string Region, string Market, string GpuModel, int GpuCount, int GpuMemoryGiB,
    decimal PricePerHour, bool Available, string State, DateTimeOffset? UnavailableUntil, int? Refusals, string? UnavailableReason);

public sealed record OffersEnvelope(bool Success, IReadOnlyList<OfferResponse> Offers, int Count);
