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
}
