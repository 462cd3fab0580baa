using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>A price a cloud publishes now, in the catalog's unit (per GPU-hour where the cloud sells per GPU, else per hour).</summary>
/// <param name="SpotPerHour">Null when the cloud sells no spot of it there now.</param>
/// <param name="InStock">False when the cloud says it cannot be had there now.</param>
public sealed record LivePrice(decimal OnDemandPerHour, decimal? SpotPerHour, bool InStock);

/// <summary>Which offer a live price is for.</summary>
public readonly record struct LivePriceKey(CloudProviderName Provider, string InstanceType, string Region);
