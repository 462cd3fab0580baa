using System.Net;
using Provisioner.Core.Webhooks;

namespace Provisioner.Tests.Unit.Core.Webhooks;

public sealed class ForbiddenAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.3")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.0.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.0.192")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::5")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("::127.0.0.1")]            // IPv4-compatible (deprecated), loopback inside
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b:1::7f00:1")]      // NAT64 local-use: a translator of our own network
    [InlineData("64:ff9b:1::808:808")]
    [InlineData("2002:7f00:1::")]          // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1")]      // 6to4 of 169.254.169.254
    [InlineData("fec0::1")]                // site-local (deprecated, still routed inside some networks)
    [InlineData("2001:0:4136:e378::1")]    // Teredo: the IPv4 inside is obfuscated and cannot be judged
    [InlineData("100::1")]                 // discard-only
    public void IsForbidden_InternalAddresses_AreForbidden(string address) =>
        ForbiddenAddresses.IsForbidden(IPAddress.Parse(address)).Should().BeTrue();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("203.0.114.7")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.4.4")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]        // 6to4 of a public address
    public void IsForbidden_PublicAddresses_AreAllowed(string address) =>
        ForbiddenAddresses.IsForbidden(IPAddress.Parse(address)).Should().BeFalse();
}
