using Provisioner.Core.Instances;

namespace Provisioner.Core.Catalog;

/// <summary>The accelerators a type carries.</summary>
public sealed record GpuSpec(string Model, int Count, int MemoryGiB);

/// <summary>One instance type a provider sells, with its on-demand price and the regions it is sold in.</summary>
public sealed record InstanceTypeOffer(
    CloudProviderName Provider,
    string Name,
    GpuSpec Gpu,
    int Vcpus,
    int MemoryGiB,
    decimal PricePerHour,
    IReadOnlyList<string> Regions);
