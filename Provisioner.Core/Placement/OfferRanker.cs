using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Placement;

/// <summary>
/// The NovitaAI service's <c>getOptimalProduct</c>, across clouds: every catalog offer that fits a request (GPU model,
/// count and memory, allowed providers and regions, the market it accepts, what each provider is set up to serve),
/// priced for the GPUs asked (at the cloud's live price where it publishes one, else the catalog's), cheapest first,
/// with what a cloud recently refused, or says is out of stock, moved to the end and marked.
/// </summary>
public sealed class OfferRanker(InstanceTypeCatalog catalog, ICloudCapabilities capabilities)
{
    public IReadOnlyList<RankedOffer> Rank(
        PlacementRequest request, IReadOnlyCollection<UnavailableOffering> unavailable, IReadOnlyDictionary<LivePriceKey, LivePrice>? live = null)
    {
        var refused = unavailable.ToDictionary(u => u.Offering);
        var markets = request.Spot switch
        {
            SpotPreference.Never => new[] { false },
            SpotPreference.Required => [true],
            _ => [true, false],
        };
        var ranked =
            from type in catalog.All
            where Allowed(request, type.Provider)
            let gpus = GpusFor(request, type)
            where gpus is not null
            let serves = capabilities.For(type.Provider)
            where serves.ServesInstanceType(type.Name)
            from region in type.Regions
            where (request.Regions is not { Count: > 0 } || request.Regions.Contains(region)) && serves.ServesRegion(region)
            let published = live?.GetValueOrDefault(new LivePriceKey(type.Provider, type.Name, region))
            from spot in markets
            where !spot || (serves.Spot && (published is null || published.SpotPerHour is not null))
            // The catalog has no spot prices: without a live one, a spot offer is priced at the on-demand price, the
            // ceiling it is asked at.
            let unit = published is null ? type.PricePerHour : spot ? published.SpotPerHour!.Value : published.OnDemandPerHour
            let price = unit * (SoldPerGpu(type.Provider) ? gpus.Value : 1)
            where request.MaxPricePerHour is not { } max || price <= max
            let offering = new Offering(type.Provider, type.Name, region, spot)
            select new RankedOffer(offering, type, gpus.Value, price, refused.GetValueOrDefault(offering) ?? OutOfStock(offering, published));
        return
        [
            .. ranked
                .OrderBy(o => o.IsAvailable ? 0 : 1)
                .ThenBy(o => request.Spot == SpotPreference.Preferred && !o.Offering.Spot ? 1 : 0)
                .ThenBy(o => o.PricePerHour)
                .ThenBy(o => o.Offering.Provider)
                .ThenBy(o => o.Offering.InstanceType, StringComparer.Ordinal)
                .ThenBy(o => o.Offering.Region, StringComparer.Ordinal),
        ];
    }

    private static UnavailableOffering? OutOfStock(Offering offering, LivePrice? published) =>
        published is { InStock: false } ? new UnavailableOffering(offering, DateTimeOffset.MaxValue, "out of stock in the cloud's live product list", refusals: 0) : null;

    /// <summary>NovitaAI sells a product per GPU (its <c>gpuNum</c>, 1-8); other clouds' types carry a fixed count.</summary>
    public static bool SoldPerGpu(CloudProviderName provider) => provider == CloudProviderName.Novita;

    /// <summary>The simulated cloud serves only requests that name it: it is no real capacity to place on.</summary>
    private static bool Allowed(PlacementRequest request, CloudProviderName provider) =>
        request.Providers is { Count: > 0 } allowed ? allowed.Contains(provider) : provider != CloudProviderName.Simulated;

    /// <summary>How many GPUs of <paramref name="type"/> meet the request, or null when it does not fit.</summary>
    private static int? GpusFor(PlacementRequest request, InstanceTypeOffer type)
    {
        if (request.GpuModel is { } model && !string.Equals(type.Gpu.Model, model, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (request.MinGpuMemoryGiB is { } memory && type.Gpu.MemoryGiB / type.Gpu.Count < memory)
        {
            return null;
        }

        return SoldPerGpu(type.Provider) ? request.GpuCount is >= 1 and <= 8 ? request.GpuCount : null
            : type.Gpu.Count == request.GpuCount ? request.GpuCount : null;
    }
}
