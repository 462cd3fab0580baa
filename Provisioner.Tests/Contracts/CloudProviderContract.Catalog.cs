using Provisioner.Core.Catalog;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    /// <summary>The cloud stops selling <paramref name="instanceType"/> in <paramref name="region"/>.</summary>
    protected abstract void StopSelling(string instanceType, string region);

    /// <summary>The cloud starts selling, in <see cref="Region"/>, a type of the spec's family that the catalog does not name; returns its name.</summary>
    protected abstract string StartSellingAnotherOfTheFamily();

    /// <summary>Whether the cloud keeps a list of its regions the adapter reads (Novita's clusters); false where the adapter answers null.</summary>
    protected virtual bool ListsItsRegions => false;

    /// <summary>The cloud stops listing <paramref name="region"/> and lists another instead; returns the other's name.</summary>
    protected virtual string ReplaceRegion(string region) => throw new NotSupportedException("the cloud lists no regions");

    [Fact]
    public async Task ListSold_TheCatalogsTypes_AnswersThemInTheRegionsAskedOnly()
    {
        var sut = Provider();

        var sold = await sut.ListSoldAsync([Region], [Spec().InstanceType, OtherInstanceType], CancellationToken.None);

        sold.Should().Contain(s => CatalogNames.Same(s.Name, Spec().InstanceType), "the cloud sells the contract's own launch type");
        sold.Should().Contain(s => CatalogNames.Same(s.Name, OtherInstanceType));
        sold.Should().OnlyContain(s => s.Region == Region, "only the regions asked about");
    }

    [Fact]
    public async Task ListSold_AfterTheCloudChangesWhatItSells_AnswersTheChange()
    {
        var sut = Provider();
        StopSelling(Spec().InstanceType, Region);
        var added = StartSellingAnotherOfTheFamily();

        var sold = await sut.ListSoldAsync([Region], [Spec().InstanceType, OtherInstanceType], CancellationToken.None);

        sold.Should().NotContain(s => CatalogNames.Same(s.Name, Spec().InstanceType), "the cloud no longer sells it there");
        sold.Should().Contain(new CloudSoldType(Region, added), "a new type of a family the catalog covers is listed, as the cloud spells it");
    }

    [Fact]
    public async Task ListRegions_AnswersTheCloudsOwnList_AndNothingIsSoldInARegionItNoLongerLists()
    {
        var sut = Provider();
        var before = await sut.ListRegionsAsync(CancellationToken.None);
        if (!ListsItsRegions)
        {
            before.Should().BeNull("the adapter's regions come from settings, and null says so");
            return;
        }

        before.Should().Contain(Region);
        var opened = ReplaceRegion(Region);

        var after = await sut.ListRegionsAsync(CancellationToken.None);
        var sold = await sut.ListSoldAsync([Region, opened], [Spec().InstanceType, OtherInstanceType], CancellationToken.None);

        after.Should().Contain(opened).And.NotContain(Region, "the list is the cloud's, read now");
        sold.Should().NotContain(s => s.Region == Region, "a region the cloud does not list answers no types rather than failing");
    }
}
