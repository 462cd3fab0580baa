using Provisioner.Core.Providers.Novita;

namespace Provisioner.Tests.Unit.Core.Providers.Novita;

public sealed class NovitaNamesTests
{
    [Fact]
    public void For_ReadsBackTheInstanceId_InTheCharactersNovitaAllows()
    {
        var id = Guid.NewGuid();

        var sut = NovitaNames.For("Prod_EU.1", id);

        sut.Should().MatchRegex("^[a-z0-9-]+$").And.StartWith("prov-prod-eu-1-");
        NovitaNames.ReadInstanceId("Prod_EU.1", sut).Should().Be(id);
    }

    [Fact]
    public void ReadInstanceId_AnotherClusterWhoseNameStartsTheSame_IsNotOurs()
    {
        var theirs = NovitaNames.For("blue-2", Guid.NewGuid());

        NovitaNames.ReadInstanceId("blue", theirs).Should().BeNull("a fixed-length id follows our prefix");
        NovitaNames.ReadInstanceId("blue", "prov-blue-hand-made").Should().BeNull();
    }
}
