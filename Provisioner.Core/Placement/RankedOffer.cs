using Provisioner.Core.Catalog;

namespace Provisioner.Core.Placement;

/// <summary>
/// An offer that fits a request, at its price for the GPUs asked (a product sold per GPU is multiplied), and, when a
/// cloud recently refused it for capacity, until when it is skipped and why.
/// </summary>
public sealed record RankedOffer(Offering Offering, InstanceTypeOffer Type, int GpuCount, decimal PricePerHour, UnavailableOffering? Unavailable)
{
    public bool IsAvailable => Unavailable is null;
}
