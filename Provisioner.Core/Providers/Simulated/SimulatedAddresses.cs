using System.Net;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// Deterministic addresses for simulated machines. Public addresses come only from the documentation
/// ranges of RFC 5737 (never routable, never someone else's); private ones from 10.0.0.0/16.
/// </summary>
public static class SimulatedAddresses
{
    private static readonly byte[][] DocumentationNetworks = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];
    private const int HostsPerNetwork = 254;

    /// <summary>The n-th machine's public address (n from 1), cycling through the 762 documentation hosts.</summary>
    public static IPAddress PublicFor(long sequence)
    {
        var slot = (int)((sequence - 1) % (DocumentationNetworks.Length * HostsPerNetwork));
        var network = DocumentationNetworks[slot / HostsPerNetwork];
        return new IPAddress([network[0], network[1], network[2], (byte)(slot % HostsPerNetwork + 1)]);
    }

    /// <summary>The n-th machine's private address in 10.0.0.0/16.</summary>
    public static IPAddress PrivateFor(long sequence)
    {
        var slot = (int)((sequence - 1) % (256 * HostsPerNetwork));
        return new IPAddress([10, 0, (byte)(slot / HostsPerNetwork), (byte)(slot % HostsPerNetwork + 1)]);
    }
}
