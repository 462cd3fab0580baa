using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>One offer of a placement plan, as chosen at create time: where to launch, how many GPUs, at what price.</summary>
/// <param name="PricePerHour">For the whole machine (a product sold per GPU already multiplied); for spot, the ceiling asked.</param>
public sealed record PlannedOffer(CloudProviderName Provider, string InstanceType, string Region, bool Spot, int GpuCount, decimal PricePerHour)
{
    public Offering Offering => new(Provider, InstanceType, Region, Spot);

    public override string ToString() => Offering.ToString();

    public static PlannedOffer From(RankedOffer ranked) => new(
        ranked.Offering.Provider, ranked.Offering.InstanceType, ranked.Offering.Region, ranked.Offering.Spot, ranked.GpuCount, ranked.PricePerHour);
}
