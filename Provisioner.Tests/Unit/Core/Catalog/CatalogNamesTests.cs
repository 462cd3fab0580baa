using Provisioner.Core.Catalog;

namespace Provisioner.Tests.Unit.Core.Catalog;

public sealed class CatalogNamesTests
{
    private static readonly string[] Cloud = ["H100 SXM5 80GB", "A100 SXM4 80GB", "RTX 4090 24GB", "L40S 48GB"];

    [Theory]
    [InlineData("H100 SXM5 80GB", "H100 SXM5 80GB")]
    [InlineData("h100 sxm5 80gb", "H100 SXM5 80GB")]
    [InlineData("H100 SXM 80GB", "H100 SXM5 80GB")]
    [InlineData("A100-SXM-80G", "A100 SXM4 80GB")]
    [InlineData("RTX 4090 24 GB", "RTX 4090 24GB")]
    public void Resolve_ASpellingTheCloudsListResolves_FindsTheCloudsName(string ours, string cloud) =>
        CatalogNames.Resolve(ours, Cloud, n => n).Should().Be(cloud);

    [Theory]
    [InlineData("H100 PCIe 80GB")]
    [InlineData("RTX 4090 48GB")]
    [InlineData("A10")]
    public void Resolve_AnotherProduct_IsNull(string ours) =>
        CatalogNames.Resolve(ours, Cloud, n => n).Should().BeNull();

    [Fact]
    public void Resolve_TwoCloudNamesReadingTheSame_IsNullRatherThanAGuess() =>
        CatalogNames.Resolve("h100 sxm 80gb", ["H100 SXM4 80GB", "H100 SXM5 80GB"], n => n).Should().BeNull();

    [Fact]
    public void Resolve_AnExactNameWins_EvenWhenOthersReadTheSame() =>
        CatalogNames.Resolve("H100 SXM5 80GB", ["H100 SXM4 80GB", "H100 SXM5 80GB"], n => n).Should().Be("H100 SXM5 80GB");
}
