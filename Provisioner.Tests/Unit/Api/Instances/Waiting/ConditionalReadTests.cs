using Microsoft.Extensions.Primitives;
using Provisioner.Api.Instances.Waiting;

namespace Provisioner.Tests.Unit.Api.Instances.Waiting;

public sealed class ConditionalReadTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("wait=10", 10)]
    [InlineData("WAIT=7", 7)]
    [InlineData("wait=\"5\"", 5)]
    [InlineData("respond-async, wait=12", 12)]
    [InlineData("wait=3; foo=bar", 3)]
    [InlineData("wait=0", 0)]
    [InlineData("wait=3600", 30)]
    public void PreferredWait_ReadsTheWaitPreference_CappedAtTheMaximum(string prefer, int seconds) =>
        ConditionalRead.PreferredWait(new StringValues(prefer), Max).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("")]
    [InlineData("handling=strict")]
    [InlineData("wait")]
    [InlineData("wait=soon")]
    [InlineData("wait=-1")]
    [InlineData("wait=1.5")]
    [InlineData("wait=99999999999999")]
    public void PreferredWait_IgnoresWhatItCannotRead(string prefer) =>
        ConditionalRead.PreferredWait(new StringValues(prefer), Max).Should().BeNull("RFC 7240: a preference not understood is ignored");

    [Fact]
    public void PreferredWait_FindsTheWaitInAnyPreferHeader() =>
        ConditionalRead.PreferredWait(new StringValues(["return=minimal", "wait=4"]), Max).Should().Be(TimeSpan.FromSeconds(4));

    [Theory]
    [InlineData("W/\"42\"", true)]
    [InlineData("\"42\"", true)]
    [InlineData("W/\"41\", W/\"42\"", true)]
    [InlineData("*", true)]
    [InlineData("W/\"41\"", false)]
    [InlineData("42", false)]
    [InlineData("", false)]
    public void ClientHas_ComparesWeakly(string ifNoneMatch, bool has) =>
        ConditionalRead.ClientHas(new StringValues(ifNoneMatch), "W/\"42\"").Should().Be(has);
}
