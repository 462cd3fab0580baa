using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>What a request needs, rather than an exact machine: the placer finds the offers that fit.</summary>
/// <param name="GpuModel">E.g. <c>A100</c>; null: any model.</param>
/// <param name="GpuCount">How many GPUs.</param>
/// <param name="MinGpuMemoryGiB">Per GPU; null: any.</param>
/// <param name="MaxPricePerHour">For the whole machine; null: no ceiling.</param>
/// <param name="Providers">Allowed clouds; null or empty: every one.</param>
/// <param name="Regions">Allowed regions; null or empty: every one.</param>
/// <param name="PreferWarm">Take a fitting offer a warm pool has a free machine of over a cheaper cold one, whatever the difference.</param>
public sealed record PlacementRequest(
    string? GpuModel,
    int GpuCount,
    int? MinGpuMemoryGiB,
    decimal? MaxPricePerHour,
    IReadOnlySet<CloudProviderName>? Providers,
    IReadOnlySet<string>? Regions,
    SpotPreference Spot,
    bool PreferWarm = false);
