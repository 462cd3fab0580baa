using System.Net;
using Provisioner.Core.Providers.Simulated;

namespace Provisioner.Tests.Unit.Core.Providers;

public sealed class SimulatedAddressesTests
{
    [Theory]
    [InlineData(1, "192.0.2.1")]
    [InlineData(254, "192.0.2.254")]
    [InlineData(255, "198.51.100.1")]
    [InlineData(762, "203.0.113.254")]
    [InlineData(763, "192.0.2.1")]
    public void PublicFor_UsesOnlyDocumentationRanges(long sequence, string expected) =>
        SimulatedAddresses.PublicFor(sequence).Should().Be(IPAddress.Parse(expected));

    [Fact]
    public void PublicFor_NeverLeavesTheDocumentationRanges()
    {
        var networks = Enumerable.Range(1, 3000).Select(n => string.Join('.', SimulatedAddresses.PublicFor(n).GetAddressBytes()[..3])).ToHashSet();

        networks.Should().BeEquivalentTo(["192.0.2", "198.51.100", "203.0.113"]);
    }

    [Fact]
    public void PrivateFor_IsDeterministicInTenZeroSlashSixteen()
    {
        SimulatedAddresses.PrivateFor(1).Should().Be(IPAddress.Parse("10.0.0.1"));
        SimulatedAddresses.PrivateFor(255).Should().Be(IPAddress.Parse("10.0.1.1"));
        SimulatedAddresses.PrivateFor(42).Should().Be(SimulatedAddresses.PrivateFor(42));
    }
}
