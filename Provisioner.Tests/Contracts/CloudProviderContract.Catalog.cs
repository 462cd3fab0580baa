using Provisioner.Core.Catalog;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    /// <summary>The cloud stops selling <paramref name="instanceType"/> in <paramref name="region"/>.</summary>
    protected abstract void StopSelling(string instanceType, string region);

    /// <summary>The cloud starts selling, in <see cref="Region"/>, a type of the spec's family that the catalog does not name; returns its name.</summary>
    protected abstract string StartSellingAnotherOfTheFamily();

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
}
