using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>
/// One thing a cloud sells, as capacity errors are remembered: a type in a region, in one market (spot or on-demand),
/// as Karpenter keys its unavailable-offerings cache.
/// </summary>
public sealed record Offering(CloudProviderName Provider, string InstanceType, string Region, bool Spot)
{
    public override string ToString() => $"{Provider.ToString().ToUpperInvariant()} {InstanceType} in {Region} ({(Spot ? "spot" : "on-demand")})";
}
