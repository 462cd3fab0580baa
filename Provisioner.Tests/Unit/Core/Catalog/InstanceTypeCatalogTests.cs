using System.Text;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;

namespace Provisioner.Tests.Unit.Core.Catalog;

public sealed class InstanceTypeCatalogTests
{
    private readonly InstanceTypeCatalog _sut = InstanceTypeCatalog.LoadEmbedded();

    [Theory]
    [InlineData(CloudProviderName.Azure, "Standard_NC6", "K80", 1, 6, 56, "0.90")]
    [InlineData(CloudProviderName.Azure, "Standard_NV12", "M60", 2, 12, 112, "2.28")]
    [InlineData(CloudProviderName.Azure, "Standard_NC4as_T4_v3", "T4", 1, 4, 28, "0.526")]
    [InlineData(CloudProviderName.Azure, "Standard_NC24ads_A100_v4", "A100", 1, 24, 220, "3.673")]
    [InlineData(CloudProviderName.Azure, "Standard_ND96isr_H100_v5", "H100", 8, 96, 1900, "98.32")]
    [InlineData(CloudProviderName.Aws, "p2.8xlarge", "K80", 8, 32, 488, "7.20")]
    [InlineData(CloudProviderName.Aws, "g4dn.xlarge", "T4", 1, 4, 16, "0.526")]
    [InlineData(CloudProviderName.Aws, "g4dn.12xlarge", "T4", 4, 48, 192, "3.912")]
    public void Embedded_HoldsTheSeedTypesAndPrices(CloudProviderName provider, string type, string gpu, int gpus, int vcpus, int memory, string price)
    {
        _sut.TryFind(provider, type, out var offer).Should().BeTrue();

        offer.Gpu.Model.Should().Be(gpu);
        offer.Gpu.Count.Should().Be(gpus);
        offer.Vcpus.Should().Be(vcpus);
        offer.MemoryGiB.Should().Be(memory);
        offer.PricePerHour.Should().Be(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TryFind_TypeOfAnotherProvider_IsFalse()
    {
        _sut.TryFind(CloudProviderName.Azure, "p3.2xlarge", out _).Should().BeFalse();
        _sut.TryFind(CloudProviderName.Aws, "P3.2XLARGE", out _).Should().BeFalse("cloud type names are case-sensitive");
    }

    [Fact]
    public void Regions_AreKnownPerProvider()
    {
        _sut.IsKnownRegion(CloudProviderName.Aws, "us-east-1").Should().BeTrue();
        _sut.IsKnownRegion(CloudProviderName.Azure, "us-east-1").Should().BeFalse();
        _sut.IsKnownRegion(CloudProviderName.Azure, "eastus").Should().BeTrue();
    }

    [Fact]
    public void Load_EntryWithoutPrice_IsRejected()
    {
        const string json = """
            { "providers": [ { "provider": "AWS", "regions": ["us-east-1"], "instanceTypes": [
              { "name": "x.large", "gpu": { "model": "T4", "count": 1, "memoryGiB": 16 }, "vcpus": 4, "memoryGiB": 16, "pricePerHour": 0 } ] } ] }
            """;

        var act = () => InstanceTypeCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        act.Should().Throw<InvalidDataException>().WithMessage("*x.large*");
    }
}
