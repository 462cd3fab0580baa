using System.Net;
using System.Net.Sockets;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Addresses a webhook must never reach: this host, private and shared networks, link-local (where clouds serve
/// instance metadata and credentials, 169.254.169.254 and fd00:ec2::254), unique-local, multicast and reserved.
/// IPv4 written inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as the IPv4 it carries.
/// </summary>
public static class ForbiddenAddresses
{
    private static readonly (IPAddress Network, int PrefixLength)[] V4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // protocol assignments (a metadata address on some clouds)
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, broadcast
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] V6 =
    [
        (IPAddress.Parse("::"), 128),           // unspecified
        (IPAddress.Parse("::1"), 128),          // loopback
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("fc00::"), 7),         // unique-local (AWS metadata fd00:ec2::254 among them)
        (IPAddress.Parse("ff00::"), 8),         // multicast
        (IPAddress.Parse("fec0::"), 10),        // site-local (deprecated, still routed inside some networks)
        (IPAddress.Parse("64:ff9b:1::"), 48),   // NAT64 local-use: a translator of a network's own, into it
        (IPAddress.Parse("2001::"), 32),        // Teredo: the IPv4 inside is obfuscated, so it cannot be judged
        (IPAddress.Parse("100::"), 64),         // discard-only
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
    ];

    private static readonly IPAddress Nat64Prefix = IPAddress.Parse("64:ff9b::");
    private static readonly IPAddress SixToFourPrefix = IPAddress.Parse("2002::");
    private static readonly IPAddress CompatiblePrefix = IPAddress.Parse("::");

    /// <summary>True for an address no webhook may be sent to.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsForbidden(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();

            // IPv4 carried in IPv6 is judged as that IPv4: well-known NAT64 and IPv4-compatible (::a.b.c.d, which
            // some stacks still route to the IPv4 host) in the last 32 bits, 6to4 (2002:AABB:CCDD::) in bits 16-48.
            // (:: and ::1 fall in the compatible range too, as 0.0.0.0 and 0.0.0.1: forbidden either way.)
            if (InNetwork(address, Nat64Prefix, 96) || InNetwork(address, CompatiblePrefix, 96))
            {
                return IsForbidden(new IPAddress(bytes[12..]));
            }

            if (InNetwork(address, SixToFourPrefix, 16))
            {
                return IsForbidden(new IPAddress(bytes[2..6]));
            }
        }

        var networks = address.AddressFamily == AddressFamily.InterNetwork ? V4 : V6;
        return networks.Any(n => InNetwork(address, n.Network, n.PrefixLength));
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var fullBytes = prefixLength / 8;
        for (var i = 0; i < fullBytes; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var remainingBits = prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
