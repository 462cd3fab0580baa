using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;
using Provisioner.Tests.Fakes;

namespace Provisioner.Tests.Unit.Core.Placement;

public sealed class OfferRankerTests
{
    private readonly OfferRanker _sut = new(InstanceTypeCatalog.LoadEmbedded(), new FixedCloudCapabilities());

    private static PlacementRequest A100(int count = 1, decimal? max = null, SpotPreference spot = SpotPreference.Never) =>
        new("A100", count, null, max, null, null, spot);

    [Fact]
    public void Rank_PicksTheCheapestFittingOffer_AcrossClouds()
    {
        var ranked = _sut.Rank(A100(), []);

        ranked.Should().NotBeEmpty();
        ranked.Should().BeInAscendingOrder(o => o.PricePerHour);
        ranked[0].Offering.Provider.Should().Be(CloudProviderName.Novita, "Novita's A100 is the cheapest single A100 in the catalog");
        ranked.Select(o => o.Offering.Provider).Should().Contain(CloudProviderName.Azure).And.NotContain(CloudProviderName.Simulated);
        ranked.Should().OnlyContain(o => o.Type.Gpu.Model == "A100" && o.GpuCount == 1);
    }

    [Fact]
    public void Rank_ProductSoldPerGpu_IsPricedForTheGpusAsked()
    {
        var ranked = _sut.Rank(A100(count: 2), []);

        var novita = ranked.First(o => o.Offering.Provider == CloudProviderName.Novita);
        novita.PricePerHour.Should().Be(2.80m);
        ranked.Where(o => o.Offering.Provider == CloudProviderName.Azure).Should().OnlyContain(o => o.Type.Gpu.Count == 2);
    }

    [Fact]
    public void Rank_AnOfferingRefusedForCapacity_GoesLastAndSaysUntilWhen()
    {
        var first = _sut.Rank(A100(), [])[0];
        var refused = new UnavailableOffering(first.Offering, DateTimeOffset.UnixEpoch.AddYears(60), "InsufficientCapacity: NOVITA returned INSUFFICIENT_RESOURCE: none");

        var ranked = _sut.Rank(A100(), [refused]);

        ranked[0].Offering.Should().NotBe(first.Offering);
        ranked[^1].Offering.Should().Be(first.Offering);
        ranked[^1].IsAvailable.Should().BeFalse();
    }

    [Fact]
    public void Rank_SpotPreferred_ListsSpotFirstThenOnDemand()
    {
        var ranked = _sut.Rank(A100(spot: SpotPreference.Preferred), []);

        ranked.Should().Contain(o => o.Offering.Spot).And.Contain(o => !o.Offering.Spot);
        ranked.SkipWhile(o => o.Offering.Spot).Should().OnlyContain(o => !o.Offering.Spot, "on-demand is the fallback after every spot offer");
    }

    [Fact]
    public void Rank_UnderThePriceCeiling_OnlyWhatCostsNoMore() =>
        _sut.Rank(A100(max: 2m), []).Should().NotBeEmpty().And.OnlyContain(o => o.PricePerHour <= 2m);

    [Fact]
    public void Rank_WithLivePrices_RanksByThem_AndMarksWhatIsOutOfStock()
    {
        // Novita publishes one cluster cheaper than the catalog, one dearer, one out of stock; spot only in one.
        var live = new Dictionary<LivePriceKey, LivePrice>
        {
            [new(CloudProviderName.Novita, "RTX 4090 24GB", "US-CA-06")] = new(0.41m, null, InStock: true),
            [new(CloudProviderName.Novita, "RTX 4090 24GB", "US-TX-02")] = new(0.29m, 0.17m, InStock: true),
            [new(CloudProviderName.Novita, "RTX 4090 24GB", "EU-DE-01")] = new(0.20m, 0.10m, InStock: false),
        };
        var request = new PlacementRequest("RTX 4090", 2, null, null, new HashSet<CloudProviderName> { CloudProviderName.Novita }, null, SpotPreference.Preferred);

        var ranked = _sut.Rank(request, [], live);

        ranked.Select(o => (o.Offering.Region, o.Offering.Spot, o.PricePerHour, o.IsAvailable)).Should().Equal(
            ("US-TX-02", true, 0.34m, true),    // the live spot price, for 2 GPUs
            ("US-TX-02", false, 0.58m, true),
            ("US-CA-06", false, 0.82m, true),   // no spot there now
            ("EU-DE-01", true, 0.20m, false),   // out of stock: last, and marked
            ("EU-DE-01", false, 0.40m, false));
        ranked[^1].Unavailable!.Reason.Should().Contain("out of stock");
        _sut.Rank(request, []).Select(o => o.PricePerHour).Should().OnlyContain(p => p == 0.70m, "without live prices the catalog's 0.35 per GPU stands");
    }
}
