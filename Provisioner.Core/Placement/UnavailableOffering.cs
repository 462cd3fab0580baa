using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>
/// An offering a cloud refused for capacity, skipped by every worker and API process until <see cref="Until"/>: kept in
/// PostgreSQL, not in one process's memory, so the next request anywhere skips it (Karpenter keeps the same cache per
/// process; a fleet of workers needs it shared).
/// </summary>
public sealed class UnavailableOffering
{
    private UnavailableOffering()
    {
        InstanceType = Region = Reason = string.Empty;
    }

    public UnavailableOffering(Offering offering, DateTimeOffset until, string reason)
    {
        Provider = offering.Provider;
        InstanceType = offering.InstanceType;
        Region = offering.Region;
        Spot = offering.Spot;
        Until = until;
        Reason = reason;
    }

    public CloudProviderName Provider { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }
    public bool Spot { get; private set; }

    public DateTimeOffset Until { get; private set; }

    /// <summary>The cloud's refusal, as recorded on the instance that met it.</summary>
    public string Reason { get; private set; }

    public Offering Offering => new(Provider, InstanceType, Region, Spot);
}
