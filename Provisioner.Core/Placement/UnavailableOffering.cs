using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>
/// An offering a cloud refused for capacity, in exponential backoff: skipped by every worker and API process until
/// <see cref="Until"/>, the next time it is worth trying. Kept in PostgreSQL, not in one process's memory, so the next
/// request anywhere skips it (Karpenter keeps the same cache per process; a fleet of workers needs it shared). Each
/// refusal met after the backoff ran out doubles the next one; a launch the cloud accepts on it ends it.
/// </summary>
public sealed class UnavailableOffering
{
    private UnavailableOffering()
    {
        InstanceType = Region = Reason = string.Empty;
    }

    public UnavailableOffering(Offering offering, DateTimeOffset until, string reason, int refusals = 1)
    {
        Provider = offering.Provider;
        InstanceType = offering.InstanceType;
        Region = offering.Region;
        Spot = offering.Spot;
        Until = until;
        Reason = reason;
        Refusals = refusals;
    }

    public CloudProviderName Provider { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }
    public bool Spot { get; private set; }

    /// <summary>When the offering is next worth trying: the end of its current backoff.</summary>
    public DateTimeOffset Until { get; private set; }

    /// <summary>The cloud's refusal, as recorded on the instance that met it.</summary>
    public string Reason { get; private set; }

    /// <summary>
    /// Refusals in a row, each met after the previous backoff ran out (refusals met by several workers at once within
    /// one backoff count once); the backoff is <see cref="PlacementOptions.BackoffInitial"/> × 2^(refusals − 1).
    /// </summary>
    public int Refusals { get; private set; }

    public Offering Offering => new(Provider, InstanceType, Region, Spot);
}
